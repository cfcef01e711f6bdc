using System.Collections.Immutable;

namespace ControlDropout.Scheduling.Scenarios;

/// <summary>Day of the template week, as written in scenario files (<c>Mon</c> … <c>Sun</c>).</summary>
public enum Weekday
{
    /// <summary>周一</summary>
    Mon,
    /// <summary>周二</summary>
    Tue,
    /// <summary>周三</summary>
    Wed,
    /// <summary>周四</summary>
    Thu,
    /// <summary>周五</summary>
    Fri,
    /// <summary>周六</summary>
    Sat,
    /// <summary>周日</summary>
    Sun,
}

/// <summary>How a session is delivered: 送教上门 (home) or 远程送教 (remote).</summary>
public enum SessionMode
{
    /// <summary>送教上门: the team travels to the child's place.</summary>
    Home,
    /// <summary>远程送教: every team member teaches over video from their own base.</summary>
    Remote,
}

/// <summary>A window of availability on one day, <c>From</c> strictly before <c>To</c>.</summary>
public sealed record Window(Weekday Day, TimeOnly From, TimeOnly To);

/// <summary>A place with WGS-84/GCJ-02 coordinates (used only for travel estimates).</summary>
public sealed record Place(PlaceId Id, string Name, double Lat, double Lon);

/// <summary>How travel minutes between places are obtained.</summary>
public abstract record TravelModel;

/// <summary>Great-circle distance × detour factor ÷ speed, rounded half away from zero.</summary>
public sealed record HaversineTravel(double SpeedKmh, double DetourFactor) : TravelModel;

/// <summary>Directed whole minutes given per pair of places.</summary>
public sealed record MatrixTravel(ImmutableArray<PlaceId> PlaceIds, ImmutableArray<ImmutableArray<int>> Minutes) : TravelModel;

/// <summary>
/// 送教教师 or team member (康复师, 医生, 残联专干). <c>MaxTravelMinutesPerDay</c> (rule 10) caps the
/// driving of each of the teacher's days (a county's fairness policy); null means no cap.
/// </summary>
public sealed record Teacher(
    TeacherId Id,
    string Name,
    PlaceId BasePlaceId,
    ImmutableArray<string> Skills,
    bool CanTeachRemotely,
    ImmutableArray<Window> Availability,
    int MaxSessionsPerWeek,
    int? MaxAwayMinutesPerDay,
    int? MaxTravelMinutesPerDay = null);

/// <summary>送教对象: a child with an approved plan, reduced to what the week needs.</summary>
public sealed record Student(
    StudentId Id,
    string Name,
    PlaceId PlaceId,
    int HomeVisitsPerWeek,
    int RemoteSessionsPerWeek,
    int SessionMinutes,
    int TeamSize,
    ImmutableArray<string> RequiredSkills,
    ImmutableArray<Window> Availability,
    ImmutableArray<TeacherId> PreferredTeacherIds,
    ImmutableArray<TeacherId>? AllowedTeacherIds);

/// <summary>A session as placed in a week: used for timetables, <c>pinned</c> and <c>baseline</c>.</summary>
public sealed record SessionPlacement(
    StudentId StudentId,
    SessionMode Mode,
    Weekday Day,
    TimeOnly Start,
    TimeOnly End,
    ImmutableArray<TeacherId> TeacherIds);

/// <summary>Solver options carried in the scenario; the CLI may override them.</summary>
/// <param name="TimeLimitSeconds">Budget. With one worker it is deterministic time, so that runs repeat exactly.</param>
/// <param name="Seed">Random seed for the search.</param>
/// <param name="Workers">0 means every core.</param>
/// <param name="StartTimeStepMinutes">Rule 9: every start is a multiple of this many minutes after midnight (1, 5, 10, 15 or 30), so a family hears "09:30", not "09:34".</param>
/// <param name="ChangePenaltyMinutes">When above 0, each change of a baseline session (day, start or team) is worth this many minutes of driving: travel and stability merge into one objective.</param>
public sealed record SolveOptions(double TimeLimitSeconds, int Seed, int Workers, int StartTimeStepMinutes = 1, int ChangePenaltyMinutes = 0)
{
    /// <summary>Defaults when the scenario says nothing.</summary>
    public static SolveOptions Default { get; } = new(30, 1, 0);

    /// <summary>The start grids a scenario may ask for (rule 9).</summary>
    public static IReadOnlyList<int> StartTimeSteps { get; } = [1, 5, 10, 15, 30];

    /// <summary>The largest change penalty a scenario may give: a day of driving.</summary>
    public const int MaxChangePenaltyMinutes = 24 * 60;
}

/// <summary>
/// One template week of 送教 for one county (scenario format v1): who must be taught, by whom,
/// where, and when people are free. Immutable; produced only by <see cref="ScenarioReader"/> or tests.
/// </summary>
public sealed record Scenario(
    string Name,
    string TimeZone,
    ImmutableArray<Weekday> Days,
    TravelModel Travel,
    ImmutableArray<Place> Places,
    ImmutableArray<Teacher> Teachers,
    ImmutableArray<Student> Students,
    ImmutableArray<SessionPlacement> Pinned,
    ImmutableArray<SessionPlacement> Baseline,
    SolveOptions Options)
{
    /// <summary>The only schema version this build reads and writes.</summary>
    public const int SchemaVersion = 1;
}
