namespace ControlDropout.Web.Domain;

/// <summary>
/// A roster file the import page checked (检查), kept under its user and SHA-256 until <see cref="KeptUntilUnixSeconds"/>,
/// so that 导入 commits exactly the file that was checked — on whichever instance the second request reaches.
/// </summary>
public sealed class CheckedUpload
{
    public required string UserName { get; init; }
    public required string Sha256 { get; init; }
    public required string Kind { get; init; }
    public required string FileName { get; init; }
    public required byte[] Content { get; init; }

    /// <summary>Seconds since 1970 (UTC): a number both databases compare in a query.</summary>
    public long KeptUntilUnixSeconds { get; init; }
}

/// <summary>Wrong 确认码 for one child on one Beijing day, counted in the database so that every instance shares the budget.</summary>
public sealed class ConfirmationMiss
{
    /// <summary>County, child and day in one key (<c>530902/…/20261012</c>).</summary>
    public required string Key { get; init; }
    public DateOnly Day { get; init; }
    public int Count { get; set; }
}
