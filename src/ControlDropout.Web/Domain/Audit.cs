namespace ControlDropout.Web.Domain;

/// <summary>
/// One row of the append-only audit trail, written in the same transaction as the change it records.
/// <see cref="Hash"/> chains the rows: SHA-256 over the previous row's hash and this row's fields, so
/// that a changed or deleted row breaks the chain from there on.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string Actor { get; init; }
    public required string Role { get; init; }
    public required string CountyCode { get; init; }
    /// <summary>added, modified, deleted — or a read worth recording, such as an unmasked view or an export.</summary>
    public required string Action { get; init; }
    public required string ObjectType { get; init; }
    public required string ObjectId { get; init; }
    /// <summary>Which fields changed, with values only for fields that are not personal data.</summary>
    public required string Summary { get; init; }
    public required string RequestId { get; init; }
    public required string PreviousHash { get; init; }
    public required string Hash { get; init; }
}
