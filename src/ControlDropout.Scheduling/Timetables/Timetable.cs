using System.Collections.Immutable;
using ControlDropout.Scheduling.Scenarios;

namespace ControlDropout.Scheduling.Timetables;

/// <summary>Outcome class of a solve, as written in the timetable's <c>status</c>.</summary>
public enum TimetableStatus
{
    /// <summary>Every required session placed and the travel total proven minimal.</summary>
    Optimal,
    /// <summary>Every required session placed; optimality not proven.</summary>
    Feasible,
    /// <summary>Some sessions unassigned, each with a reason.</summary>
    Partial,
    /// <summary>No session could be placed.</summary>
    Infeasible,
    /// <summary>The scenario was rejected; <see cref="Timetable.Errors"/> lists why.</summary>
    Invalid,
}

/// <summary>Why a required session could not be placed. Codes are stable; messages are for people.</summary>
public static class ReasonCodes
{
    /// <summary>No team the teachers can form has the required skills (within <c>allowedTeacherIds</c>).</summary>
    public const string NoQualifiedTeacher = nameof(NoQualifiedTeacher);
    /// <summary>A qualified team exists and windows overlap, but nobody can travel there and back in time.</summary>
    public const string NoQualifiedTeacherInReach = nameof(NoQualifiedTeacherInReach);
    /// <summary>No day on which the child's window and a qualified team's windows overlap for a whole session.</summary>
    public const string NoOverlappingWindow = nameof(NoOverlappingWindow);
    /// <summary>Placeable on its own, but only by uncovering another child (proven).</summary>
    public const string TeacherCapacityExhausted = nameof(TeacherCapacityExhausted);
    /// <summary>The child needs more sessions than there are days on which one can be placed.</summary>
    public const string TooFewDistinctDays = nameof(TooFewDistinctDays);
    /// <summary>No qualified team can teach remotely.</summary>
    public const string RemoteNotPossible = nameof(RemoteNotPossible);
    /// <summary>The search stopped without placing it and without proof that it cannot be placed.</summary>
    public const string TimeLimitReached = nameof(TimeLimitReached);
}

/// <summary>Kinds of resource a capacity reason can name as short.</summary>
public static class ShortageKinds
{
    /// <summary>Teachers with one required skill (e.g. special-education).</summary>
    public const string Skill = "skill";
    /// <summary>Teachers who can reach one area (the homes a small set of teachers alone can reach).</summary>
    public const string Area = "area";
    /// <summary>Teacher time on the days some children are available.</summary>
    public const string Day = "day";
    /// <summary>Second members for two-person (or larger) teams.</summary>
    public const string Team = "team";
}

/// <summary>What a county lacks, proven by counting: so the bureau knows what to hire or move ("special-education, 32 sessions a week").</summary>
/// <param name="Kind">One of <see cref="ShortageKinds"/>.</param>
/// <param name="Name">The skill, area, days or team shape, as people name it.</param>
/// <param name="SessionsPerWeek">How many sessions a week the resource is short by.</param>
public sealed record Shortage(string Kind, string Name, int SessionsPerWeek);

/// <summary>
/// A reason code with a message naming the children, teachers and rules involved; for a capacity
/// reason, <c>Shortage</c> names the resource that is short and by how much, when a count proves it.
/// </summary>
public sealed record Reason(string Code, string Message, Shortage? Shortage = null);

/// <summary>A required session that is not in the timetable.</summary>
public sealed record UnassignedSession(StudentId StudentId, SessionMode Mode, Reason Reason);

/// <summary>One teacher's day: leaves base, visits in start order, returns.</summary>
public sealed record TeacherRoute(TeacherId TeacherId, Weekday Day, TimeOnly Depart, TimeOnly Return, int TravelMinutes);

/// <summary>One teacher's week as the timetable has it: what the load balance and the daily driving cap are judged on.</summary>
public sealed record TeacherLoad(TeacherId TeacherId, int Sessions, int TeachingMinutes, int TravelMinutes, int MaxDayTravelMinutes);

/// <summary>
/// A baseline session the timetable did not keep (another day, start or team), and what the child
/// has instead: <c>Now</c> is the child's new session of that mode, or null when it is no longer placed.
/// </summary>
public sealed record SessionChange(StudentId StudentId, SessionMode Mode, SessionPlacement Was, SessionPlacement? Now);

/// <summary>Names of the methods that can prove <see cref="TimetableMetrics.TravelLowerBound"/>.</summary>
public static class LowerBoundMethods
{
    /// <summary>The whole week was solved exactly: the travel found is the bound.</summary>
    public const string Exact = "exact";
    /// <summary>The set-partitioning LP over teacher-day routes (column generation).</summary>
    public const string ColumnGeneration = "column-generation";
    /// <summary>A CP-SAT relaxation (sessions to days and teachers, loads and day lengths).</summary>
    public const string CpSatRelaxation = "cp-sat-relaxation";
    /// <summary>Half the cheapest way into and out of every stop.</summary>
    public const string StopShares = "stop-shares";
    /// <summary>Round trips to the farthest homes, grouped into full days.</summary>
    public const string FarthestStops = "farthest-stops";
}

/// <summary>
/// Totals derived from the sessions. <c>LowerBoundMethod</c> names which of <see cref="LowerBoundMethods"/>
/// proved <c>TravelLowerBound</c>; <c>BaselineChanges</c> counts baseline sessions not kept (same student
/// and mode, same day, start and team), null without a baseline; <c>Teachers</c> gives each teacher's
/// sessions, teaching and driving minutes and their longest day's driving.
/// </summary>
public sealed record TimetableMetrics(
    int RequiredSessions,
    int PlacedSessions,
    int StudentsCovered,
    int Students,
    int TotalTravelMinutes,
    int? TravelLowerBound,
    double SolveSeconds,
    string? LowerBoundMethod = null,
    int? BaselineChanges = null,
    ImmutableArray<TeacherLoad> Teachers = default);

/// <summary>What a run used, so that any timetable can be reproduced.</summary>
public sealed record SolverRun(string Engine, string OrToolsVersion, double TimeLimitSeconds, int Seed, int Workers, bool Deterministic);

/// <summary>课表: the answer to a scenario. <c>Changes</c> lists every baseline session not kept, with what replaced it.</summary>
public sealed record Timetable(
    string Scenario,
    TimetableStatus Status,
    ImmutableArray<SessionPlacement> Sessions,
    ImmutableArray<UnassignedSession> Unassigned,
    ImmutableArray<TeacherRoute> Routes,
    TimetableMetrics? Metrics,
    ImmutableArray<ScenarioError> Errors,
    SolverRun? Run,
    ImmutableArray<SessionChange> Changes = default)
{
    /// <summary>A timetable for a rejected scenario.</summary>
    public static Timetable Invalid(string scenarioName, IEnumerable<ScenarioError> errors) =>
        new(scenarioName, TimetableStatus.Invalid, [], [], [], null, [.. errors], null);
}
