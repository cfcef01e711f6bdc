using ControlDropout.Scheduling.Checking;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Solving;
using ControlDropout.Scheduling.Timetables;
using FluentAssertions;

namespace ControlDropout.Scheduling.Tests.Support;

/// <summary>Solves deterministically (one worker, fixed seed, deterministic limit) and always runs the checker.</summary>
internal static class Solve
{
    public const double DefaultDeterministicSeconds = 0.5;

    public static Timetable Checked(Scenario scenario, double seconds = DefaultDeterministicSeconds, int seed = 1)
    {
        // The scenario's planning options (start grid, change penalty) stand; limit, seed and workers are the test's.
        var timetable = WeekSolver.Solve(scenario, scenario.Options with { TimeLimitSeconds = seconds, Seed = seed, Workers = 1 });
        TimetableChecker.Check(scenario, timetable).Should().BeEmpty("every solver output must pass the independent checker");
        (timetable.Metrics?.TravelLowerBound ?? 0).Should().BeLessThanOrEqualTo(timetable.Metrics?.TotalTravelMinutes ?? 0, "the travel bound holds against every timetable found");
        // What is written is what is checked: the round trip through JSON changes nothing the checker sees.
        TimetableChecker.Check(scenario, TimetableJson.Read(TimetableJson.Write(timetable))).Should().BeEmpty();
        return timetable;
    }

    public static SessionPlacement Only(this Timetable timetable, string student) =>
        timetable.Sessions.Should().ContainSingle(s => s.StudentId.Value == student).Subject;

    public static IEnumerable<SessionPlacement> Of(this Timetable timetable, string student) =>
        timetable.Sessions.Where(s => s.StudentId.Value == student);
}
