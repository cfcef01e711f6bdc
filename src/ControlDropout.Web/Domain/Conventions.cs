using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Travel;

namespace ControlDropout.Web.Domain;

/// <summary>
/// The conventions of a 临沧 county that several features lean on, kept in one place: the clock people
/// read, how place codes nest, how long mountain roads take, and the words for a session's mode.
/// </summary>
public static class Conventions
{
    /// <summary>China keeps UTC+8 all year: dates and times people read and write are in it.</summary>
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>Mountain roads: straight-line km × 1.6 at 30 km/h, as the county's field staff estimate.</summary>
    public const double DetourFactor = 1.6;
    public const double SpeedKmh = 30;

    /// <summary>The travel model the scheduler plans with; visit flags and teachers' pages use the same one.</summary>
    public static readonly HaversineTravel Travel = new(SpeedKmh, DetourFactor);

    /// <summary>Whole road minutes between two points, exactly as the scheduler rounds them.</summary>
    public static int TravelMinutes(double lat1, double lon1, double lat2, double lon2) =>
        TravelTimes.HaversineMinutes(new Place(new PlaceId("a"), "", lat1, lon1), new Place(new PlaceId("b"), "", lat2, lon2), Travel);

    /// <summary>A village's 12-digit statistical code starts with its township's 9 digits.</summary>
    public const int TownshipCodeLength = 9;

    /// <summary>The township of a village code, or null for a code too short to have one.</summary>
    public static string? TownshipOf(string villageCode) =>
        villageCode.Length >= TownshipCodeLength ? villageCode[..TownshipCodeLength] : null;

    /// <summary>
    /// The wall-clock time in China of an instant, for any value the database can hold: the last hours
    /// of 9999 have no UTC+8 time and are given as they are, never an exception.
    /// </summary>
    public static DateTime InChina(DateTimeOffset at) =>
        at.UtcDateTime.Ticks <= DateTime.MaxValue.Ticks - ChinaOffset.Ticks ? at.ToOffset(ChinaOffset).DateTime : at.UtcDateTime;

    /// <summary>The day in China of an instant.</summary>
    public static DateOnly ChinaDay(DateTimeOffset at) => DateOnly.FromDateTime(InChina(at));
}

/// <summary>A session's mode as stored on sessions and records.</summary>
public static class SessionModes
{
    /// <summary>送教上门</summary>
    public const string Home = "home";

    /// <summary>远程送教</summary>
    public const string Remote = "remote";
}
