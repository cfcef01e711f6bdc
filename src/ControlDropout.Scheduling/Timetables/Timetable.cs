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

/// <summary>A reason code with a message naming the children, teachers and rules involved.</summary>
public sealed record Reason(string Code, string Message);

/// <summary>A required session that is not in the timetable.</summary>
public sealed record UnassignedSession(StudentId StudentId, SessionMode Mode, Reason Reason);

/// <summary>One teacher's day: leaves base, visits in start order, returns.</summary>
public sealed record TeacherRoute(TeacherId TeacherId, Weekday Day, TimeOnly Depart, TimeOnly Return, int TravelMinutes);

/// <summary>Totals derived from the sessions.</summary>
public sealed record TimetableMetrics(
    int RequiredSessions,
    int PlacedSessions,
    int StudentsCovered,
    int Students,
    int TotalTravelMinutes,
    int? TravelLowerBound,
    double SolveSeconds);

/// <summary>What a run used, so that any timetable can be reproduced.</summary>
public sealed record SolverRun(string Engine, string OrToolsVersion, double TimeLimitSeconds, int Seed, int Workers, bool Deterministic);

/// <summary>An error in a scenario, by JSON path.</summary>
public sealed record ScenarioError(string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>课表: the answer to a scenario.</summary>
public sealed record Timetable(
    string Scenario,
    TimetableStatus Status,
    ImmutableArray<SessionPlacement> Sessions,
    ImmutableArray<UnassignedSession> Unassigned,
    ImmutableArray<TeacherRoute> Routes,
    TimetableMetrics? Metrics,
    ImmutableArray<ScenarioError> Errors,
    SolverRun? Run)
{
    /// <summary>A timetable for a rejected scenario.</summary>
    public static Timetable Invalid(string scenarioName, IEnumerable<ScenarioError> errors) =>
        new(scenarioName, TimetableStatus.Invalid, [], [], [], null, [.. errors], null);
}
