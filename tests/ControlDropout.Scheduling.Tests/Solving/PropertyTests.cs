using System.Collections.Immutable;
using ControlDropout.Scheduling.Checking;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Solving;
using ControlDropout.Scheduling.Tests.Support;
using CsCheck;
using FluentAssertions;

namespace ControlDropout.Scheduling.Tests.Solving;

/// <summary>
/// Random small weeks always give checker-clean timetables whose reasons replay true. The weeks are
/// drawn by CsCheck from one fixed seed, so the suite is the same on every run (solver tests are
/// deterministic); change <see cref="FixedSeed"/> locally to explore further.
/// </summary>
public class PropertyTests
{
    private const string FixedSeed = "0000000000001";
    private const int Weeks = 60;

    private static readonly string[] Skills = ["special-education", "rehabilitation", "speech-therapy"];
    private static readonly Weekday[] Days = [Weekday.Mon, Weekday.Tue, Weekday.Wed];

    private static readonly Gen<Scenario> RandomWeek =
        Gen.Select(Gen.Int[1, 4], Gen.Int[1, 6], Gen.Int[0, int.MaxValue - 1]).Select((teachers, students, seed) => Build(teachers, students, seed, haversine: false));

    private static readonly Gen<Scenario> RandomMountainWeek =
        Gen.Select(Gen.Int[1, 3], Gen.Int[1, 5], Gen.Int[0, int.MaxValue - 1]).Select((teachers, students, seed) => Build(teachers, students, seed, haversine: true));

    /// <summary>
    /// Places on a 60 × 60-minute plane (matrix travel) or within about 30 km of a 临沧 point
    /// (haversine travel); windows, skills, teams and limits drawn at random.
    /// </summary>
    private static Scenario Build(int teacherCount, int studentCount, int seed, bool haversine)
    {
        var rng = new Random(seed);
        var places = new List<(string Id, int X, int Y)>();
        string NewPlace(string id)
        {
            places.Add((id, rng.Next(60), rng.Next(60)));
            return id;
        }
        ImmutableArray<Window> Windows(int from, int to)
        {
            var result = ImmutableArray.CreateBuilder<Window>();
            foreach (var d in Days.Where(_ => rng.Next(3) > 0))
            {
                var start = from + rng.Next(4) * 30;
                var end = Math.Min(to, start + 90 + rng.Next(8) * 30);
                result.Add(new Window(d, new TimeOnly(start / 60, start % 60), new TimeOnly(end / 60, end % 60)));
            }
            return result.ToImmutable();
        }
        var teachers = Enumerable.Range(1, teacherCount).Select(i => new Teacher(
            new TeacherId($"t{i}"), $"t{i}", new PlaceId(NewPlace($"b{i}")),
            [.. Skills.Where(_ => rng.Next(2) == 0).DefaultIfEmpty(Skills[0])],
            rng.Next(3) > 0, Windows(8 * 60, 18 * 60), 1 + rng.Next(4), rng.Next(3) == 0 ? 150 + rng.Next(200) : null)).ToImmutableArray();
        var students = Enumerable.Range(1, studentCount).Select(i =>
        {
            var team = teacherCount > 1 && rng.Next(4) == 0 ? 2 : 1;
            var home = rng.Next(3);
            var remote = home == 0 || rng.Next(4) == 0 ? 1 : 0;
            return new Student(new StudentId($"s{i}"), $"s{i}", new PlaceId(NewPlace($"h{i}")), home, remote, 30 + rng.Next(4) * 30, team,
                [.. Skills.Where(_ => rng.Next(3) == 0).DefaultIfEmpty(Skills[0]).Take(team)], Windows(8 * 60, 18 * 60),
                rng.Next(3) == 0 ? [teachers[rng.Next(teacherCount)].Id] : [],
                rng.Next(6) == 0 ? [.. teachers.Where(_ => rng.Next(2) == 0).Select(t => t.Id)] : null);
        }).ToImmutableArray();
        var ids = places.Select(p => new PlaceId(p.Id)).ToImmutableArray();
        var minutes = places.Select(a => places.Select(b => (int)Math.Round(Math.Sqrt(Math.Pow(a.X - b.X, 2) + Math.Pow(a.Y - b.Y, 2)))).ToImmutableArray()).ToImmutableArray();
        TravelModel travel = haversine ? new HaversineTravel(30, 1.6) : new MatrixTravel(ids, minutes);
        // 0.005° is about half a kilometre: the plane spans about 30 km around 临翔区.
        return new Scenario($"random week {seed}", "Asia/Shanghai", [.. Days], travel,
            [.. places.Select(p => new Place(new PlaceId(p.Id), p.Id, 23.88 + p.X * 0.005, 100.08 + p.Y * 0.005))], teachers, students, [], [], new SolveOptions(0.2, 1, 1));
    }

    private static Scenario[] Draw(Gen<Scenario> gen, int count) => Check.Single(gen.Array[count], _ => true, FixedSeed);

    [Fact]
    public void Draws_the_same_weeks_on_every_run() =>
        Draw(RandomWeek, 5).Select(s => s.Name).Should().Equal(Draw(RandomWeek, 5).Select(s => s.Name));

    [Fact]
    public void Random_weeks_give_checker_clean_timetables_with_true_reasons()
    {
        foreach (var scenario in Draw(RandomWeek, Weeks))
        {
            ScenarioReader.Validate(scenario).Errors.Should().BeEmpty();
            var timetable = WeekSolver.Solve(scenario, new SolveOptions(0.2, 1, 1));

            TimetableChecker.Check(scenario, timetable).Should().BeEmpty();
            foreach (var u in timetable.Unassigned)
            {
                ReasonReplay.IsTrue(scenario, u).Should().BeTrue($"{scenario.Name}: {u.StudentId} {u.Mode}: {u.Reason.Code} ({u.Reason.Message}) must be true");
            }
        }
    }

    [Fact]
    public void Random_mountain_weeks_keep_the_travel_bound_below_proven_optima()
    {
        var proven = 0;
        foreach (var scenario in Draw(RandomMountainWeek, Weeks / 2))
        {
            var timetable = WeekSolver.Solve(scenario, new SolveOptions(0.3, 1, 1));

            TimetableChecker.Check(scenario, timetable).Should().BeEmpty();
            timetable.Metrics!.TravelLowerBound.Should().BeLessThanOrEqualTo(timetable.Metrics.TotalTravelMinutes);
            if (timetable.Status == Timetables.TimetableStatus.Optimal)
            {
                proven++;
            }
        }
        proven.Should().BeGreaterThan(0, "small weeks are solved whole by CP-SAT, so some optima are proven and the bound is checked against them");
    }
    [Fact]
    public void Random_weeks_put_every_start_on_the_grid_with_true_reasons()
    {
        foreach (var step in new[] { 5, 10, 15, 30 })
        {
            foreach (var week in Draw(RandomWeek, Weeks / 8))
            {
                var scenario = week with { Options = week.Options with { StartTimeStepMinutes = step } };
                var timetable = WeekSolver.Solve(scenario, scenario.Options);

                TimetableChecker.Check(scenario, timetable).Should().BeEmpty();
                Planning.OffGrid(scenario, timetable).Should().BeEmpty($"{scenario.Name}: every start is on the {step}-minute grid");
                foreach (var u in timetable.Unassigned)
                {
                    ReasonReplay.IsTrue(scenario, u).Should().BeTrue($"{scenario.Name} (grid {step}): {u.StudentId} {u.Mode}: {u.Reason.Code} ({u.Reason.Message}) must be true");
                }
            }
        }
    }

    [Fact]
    public void Random_weeks_keep_every_day_within_the_driving_cap_with_true_reasons()
    {
        var capRng = new Random(5);
        foreach (var week in Draw(RandomWeek, Weeks / 3))
        {
            var scenario = week with
            {
                Teachers = [.. week.Teachers.Select(t => t with { MaxTravelMinutesPerDay = capRng.Next(3) == 0 ? null : 30 + capRng.Next(10) * 10 })],
            };
            var timetable = WeekSolver.Solve(scenario, scenario.Options);

            TimetableChecker.Check(scenario, timetable).Should().BeEmpty();
            Planning.OverCap(scenario, timetable).Should().BeEmpty($"{scenario.Name}: no teacher-day drives past its cap");
            foreach (var u in timetable.Unassigned)
            {
                ReasonReplay.IsTrue(scenario, u).Should().BeTrue($"{scenario.Name} (capped): {u.StudentId} {u.Mode}: {u.Reason.Code} ({u.Reason.Message}) must be true");
            }
        }
    }

    [Fact]
    public void With_a_change_penalty_a_rerun_never_ends_worse_than_keeping_a_baseline_that_still_holds()
    {
        foreach (var (week, i) in Draw(RandomWeek, Weeks / 3).Select((w, i) => (w, i)))
        {
            // A deliberately hurried timetable of the same week: feasible, and often far from the best.
            var hurried = WeekSolver.Solve(week, new SolveOptions(0.02, 3, 1));
            var penalty = i % 2 == 0 ? 15 : 60;
            var scenario = week with { Baseline = hurried.Sessions, Options = week.Options with { ChangePenaltyMinutes = penalty } };

            var rerun = WeekSolver.Solve(scenario, scenario.Options);

            TimetableChecker.Check(scenario, rerun).Should().BeEmpty();
            rerun.Metrics!.PlacedSessions.Should().BeGreaterThanOrEqualTo(hurried.Metrics!.PlacedSessions);
            if (rerun.Metrics.PlacedSessions == hurried.Metrics.PlacedSessions)
            {
                var merged = rerun.Metrics.TotalTravelMinutes + penalty * (rerun.Metrics.BaselineChanges ?? 0);
                merged.Should().BeLessThanOrEqualTo(hurried.Metrics.TotalTravelMinutes,
                    $"{scenario.Name}: travel + {penalty} × changes may not exceed the baseline's own travel");
            }
        }
    }
}
