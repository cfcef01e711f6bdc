using System.Collections.Immutable;
using ControlDropout.Scheduling.Checking;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Tests.Support;
using ControlDropout.Scheduling.Timetables;
using FluentAssertions;
using static ControlDropout.Scheduling.Tests.Support.Week;

namespace ControlDropout.Scheduling.Tests.Checking;

/// <summary>The checker catches each kind of broken timetable, so that a clean check means something.</summary>
public class TimetableCheckerTests
{
    private static readonly Scenario Scenario = new Week().Place("base", 0).Place("h1", 30).Place("h2", 60)
        .Days(Weekday.Mon, Weekday.Tue)
        .Teacher("t1", "base", availability: Every("08:00", "12:00", Weekday.Mon, Weekday.Tue), max: 2, maxAway: 240)
        .Teacher("t2", "base", skills: ["rehabilitation"], remote: false, availability: Every("08:00", "12:00", Weekday.Mon, Weekday.Tue))
        .Student("s1", "h1", home: 1, minutes: 60, availability: Every("09:00", "11:00", Weekday.Mon, Weekday.Tue))
        .Student("s2", "h2", home: 0, remote: 1, minutes: 60, availability: Every("08:00", "12:00", Weekday.Mon, Weekday.Tue))
        .Build();

    private static SessionPlacement S(string student, SessionMode mode, Weekday day, string start, string end, params string[] teachers) =>
        new(new StudentId(student), mode, day, T(start), T(end), [.. teachers.Select(t => new TeacherId(t))]);

    /// <summary>A timetable whose routes and metrics are derived honestly from its sessions.</summary>
    private static Timetable With(params SessionPlacement[] sessions)
    {
        var solved = Scheduling.Solving.WeekSolver.Solve(Scenario, new SolveOptions(0.2, 1, 1));
        var draft = solved with { Sessions = [.. sessions], Routes = [] };
        var routes = TimetableChecker.Check(Scenario, draft)
            .Where(l => l.StartsWith("routes: missing", StringComparison.Ordinal))
            .Select(l => Route(l["routes: missing or different route ".Length..]))
            .ToImmutableArray();
        var placed = sessions.Length;
        return draft with
        {
            Routes = routes,
            Unassigned = [],
            Metrics = solved.Metrics! with { PlacedSessions = placed, StudentsCovered = sessions.Select(s => s.StudentId).Distinct().Count(), TotalTravelMinutes = routes.Sum(r => r.TravelMinutes), TravelLowerBound = null },
            Status = TimetableStatus.Feasible,
        };
    }

    private static TeacherRoute Route(string key)
    {
        var f = key.Split(' ');
        var times = f[2].Split('-');
        return new TeacherRoute(new TeacherId(f[0]), Enum.Parse<Weekday>(f[1]), T(times[0]), T(times[1]), int.Parse(f[4], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Accepts_a_timetable_that_keeps_every_rule()
    {
        var ok = With(S("s1", SessionMode.Home, Weekday.Mon, "09:00", "10:00", "t1"), S("s2", SessionMode.Remote, Weekday.Tue, "08:00", "09:00", "t1"));

        TimetableChecker.Check(Scenario, ok).Should().BeEmpty();
    }

    [Fact]
    public void Catches_a_session_outside_the_childs_window()
    {
        var bad = With(S("s1", SessionMode.Home, Weekday.Mon, "10:30", "11:30", "t1"), S("s2", SessionMode.Remote, Weekday.Tue, "08:00", "09:00", "t1"));

        TimetableChecker.Check(Scenario, bad).Should().Contain("rule 2: sessions[0] (s1 home Mon 10:30) is outside every window of student 's1' on Mon");
    }

    [Fact]
    public void Catches_too_little_travel_time_between_two_sessions()
    {
        // Back from s1's home (30 minutes away) at 10:30 at the earliest, not 10:10.
        var bad = With(S("s1", SessionMode.Home, Weekday.Mon, "09:00", "10:00", "t1"), S("s2", SessionMode.Remote, Weekday.Mon, "10:10", "11:10", "t1"));

        TimetableChecker.Check(Scenario, bad).Should()
            .Contain("rule 6: teacher 't1' on Mon cannot get from 's1' (ends 10:00) to 's2' (starts 10:10): 30 minutes of travel");
    }

    [Fact]
    public void Catches_a_wrong_team_and_a_remote_session_by_someone_offline()
    {
        var bad = With(S("s1", SessionMode.Home, Weekday.Mon, "09:00", "10:00", "t2"), S("s2", SessionMode.Remote, Weekday.Tue, "08:00", "09:00", "t2"));

        TimetableChecker.Check(Scenario, bad).Should()
            .Contain("rule 4: sessions[0] (s1 home Mon 09:00) lacks skill 'special-education'")
            .And.Contain("rule 4: sessions[1] (s2 remote Tue 08:00) is remote but teacher 't2' cannot teach remotely");
    }

    [Fact]
    public void Catches_two_sessions_of_a_child_on_one_day_and_a_missing_session()
    {
        var bad = With(S("s1", SessionMode.Home, Weekday.Mon, "09:00", "10:00", "t1"), S("s1", SessionMode.Home, Weekday.Mon, "10:00", "11:00", "t1"));

        TimetableChecker.Check(Scenario, bad).Should()
            .Contain("rule 3: student 's1' has 2 sessions on Mon")
            .And.Contain("rule 1: student 's1' needs 1 home sessions; 2 placed and 0 unassigned")
            .And.Contain("rule 1: student 's2' needs 1 remote sessions; 0 placed and 0 unassigned");
    }

    [Fact]
    public void Catches_routes_and_metrics_that_do_not_follow_from_the_sessions()
    {
        var honest = With(S("s1", SessionMode.Home, Weekday.Mon, "09:00", "10:00", "t1"), S("s2", SessionMode.Remote, Weekday.Tue, "08:00", "09:00", "t1"));
        var bad = honest with
        {
            Routes = [.. honest.Routes.Select(r => r with { TravelMinutes = r.TravelMinutes - 1 })],
            Metrics = honest.Metrics! with { TotalTravelMinutes = 1 },
        };

        var violations = TimetableChecker.Check(Scenario, bad);

        violations.Should().Contain("routes: missing or different route t1 Mon 08:30-10:30 travel 60");
        violations.Should().Contain("metrics.totalTravelMinutes: 1, but the sessions give 60");
    }

    [Fact]
    public void Catches_a_teacher_over_the_weekly_load_and_the_away_limit()
    {
        var scenario = new Week().Place("base", 0).Place("h1", 100)
            .Teacher("t1", "base", max: 0, maxAway: 150)
            .Student("s1", "h1", minutes: 60)
            .Build();
        var timetable = Scheduling.Solving.WeekSolver.Solve(scenario, new SolveOptions(0.2, 1, 1));
        var bad = timetable with { Sessions = [S("s1", SessionMode.Home, Weekday.Mon, "10:00", "11:00", "t1")], Unassigned = [] };

        TimetableChecker.Check(scenario, bad).Should()
            .Contain("rule 7: teacher 't1' has 1 sessions, more than maxSessionsPerWeek 0")
            .And.Contain("rule 7: teacher 't1' is away 260 minutes on Mon, more than maxAwayMinutesPerDay 150");
    }
}
