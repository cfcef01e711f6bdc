namespace ControlDropout.Web.Domain;

/// <summary>县/区, by its 6-digit statistical division code.</summary>
public sealed class County
{
    public required string Code { get; init; }
    public required string Name { get; set; }
}

/// <summary>乡镇/街道, by its 9-digit code.</summary>
public sealed class Township
{
    public required string Code { get; init; }
    public required string CountyCode { get; init; }
    public required string Name { get; set; }
    public double? Lat { get; set; }
    public double? Lon { get; set; }
}

/// <summary>村/社区, by its 12-digit code.</summary>
public sealed class Village
{
    public required string Code { get; init; }
    public required string TownshipCode { get; init; }
    public required string Name { get; set; }
    public double? Lat { get; set; }
    public double? Lon { get; set; }
}
