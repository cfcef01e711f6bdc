using System.Collections.Immutable;
using ControlDropout.Scheduling.Checking;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Solving;
using FluentAssertions;

namespace ControlDropout.Scheduling.Tests.Solving.Reasons;

/// <summary>
/// A counting bound is never wrong: on seeded random small weeks, tight on teachers so that groups
/// run short, no timetable places more of a group than its count allows — checked against every
/// week solved whole and exactly by CP-SAT (the true maximum when proven) and against every
/// checker-clean timetable.
/// </summary>
public class CountingBoundPropertyTests
{
    private const int Weeks = 40;
    private const double WholeWeekSeconds = 0.3;
    private const double SolverSeconds = 0.1;

    private static readonly string[] Skills = ["special-education", "rehabilitation", "speech-therapy"];
    private static readonly Weekday[] Days = [Weekday.Mon, Weekday.Tue, Weekday.Wed];

    /// <summary>Few teachers with small loads, short windows and a far corner, so that shortages are common.</summary>
    private static Scenario Build(int seed)
    {
        var rng = new Random(seed);
        var places = new List<(string Id, int X, int Y)>();
        string NewPlace(string id, int spread)
        {
            places.Add((id, rng.Next(spread), rng.Next(spread)));
            return id;
        }
        ImmutableArray<Window> Windows()
        {
            var result = ImmutableArray.CreateBuilder<Window>();
            foreach (var d in Days.Where(_ => rng.Next(3) > 0))
            {
                var start = 8 * 60 + rng.Next(4) * 30;
                var end = Math.Min(18 * 60, start + 120 + rng.Next(8) * 30);
                result.Add(new Window(d, new TimeOnly(start / 60, start % 60), new TimeOnly(end / 60, end % 60)));
            }
            return result.ToImmutable();
        }
        var teacherCount = 1 + rng.Next(4);
        var teachers = Enumerable.Range(1, teacherCount).Select(i => new Teacher(
            new TeacherId($"t{i}"), $"t{i}", new PlaceId(NewPlace($"b{i}", 60)),
            [.. Skills.Where(_ => rng.Next(2) == 0).DefaultIfEmpty(Skills[0])],
            rng.Next(3) > 0, Windows(), 1 + rng.Next(3), rng.Next(3) == 0 ? 150 + rng.Next(200) : null)).ToImmutableArray();
        var students = Enumerable.Range(1, 2 + rng.Next(6)).Select(i =>
        {
            var team = teacherCount > 1 && rng.Next(3) == 0 ? 2 : 1;
            var home = rng.Next(3);
            var remote = home == 0 || rng.Next(4) == 0 ? 1 : 0;
            return new Student(new StudentId($"s{i}"), $"s{i}", new PlaceId(NewPlace($"h{i}", rng.Next(4) == 0 ? 150 : 60)), home, remote,
                30 + rng.Next(4) * 30, team, [.. Skills.Where(_ => rng.Next(3) == 0).DefaultIfEmpty(Skills[0]).Take(team)], Windows(), [],
                rng.Next(6) == 0 ? [.. teachers.Where(_ => rng.Next(2) == 0).Select(t => t.Id)] : null);
        }).ToImmutableArray();
        var ids = places.Select(p => new PlaceId(p.Id)).ToImmutableArray();
        var minutes = places.Select(a => places.Select(b => (int)Math.Round(Math.Sqrt(Math.Pow(a.X - b.X, 2) + Math.Pow(a.Y - b.Y, 2)))).ToImmutableArray()).ToImmutableArray();
        return new Scenario($"short week {seed}", "Asia/Shanghai", [.. Days], new MatrixTravel(ids, minutes),
            [.. places.Select(p => new Place(new PlaceId(p.Id), p.Id, 23.88, 100.08))], teachers, students, [], [], new SolveOptions(WholeWeekSeconds, 1, 1));
    }

    [Fact]
    public void No_timetable_places_more_of_a_group_than_its_count_allows()
    {
        var shortWeeks = 0;
        var proven = 0;
        for (var seed = 1; seed <= Weeks; seed++)
        {
            var scenario = Build(seed);
            ScenarioReader.Validate(scenario).Errors.Should().BeEmpty();
            var problem = new Problem(scenario);
            var ctx = new SearchContext(problem, new SearchBudget(WholeWeekSeconds, deterministic: true), workers: 1, seed: 1);
            var counting = CountingBounds.For(ctx);
            var isFixed = new bool[problem.Demands.Length];
            var rng = new Random(seed);
            var constructed = new RuinAndRecreate(ctx, isFixed, rng).Construct(new WeekState(problem, ctx));
            var (state, optimal) = new DayRepacker(ctx, isFixed, rng).SolveWholeWeek(constructed, WholeWeekSeconds);

            foreach (var week in new[] { constructed, state })
            {
                var placed = problem.Demands.Length - week.Unplaced;
                placed.Should().BeLessThanOrEqualTo(counting.MaxPlaceable, $"{scenario.Name}: the count bounds every timetable");
                foreach (var g in counting.Groups)
                {
                    g.Demands.Count(i => week.Placements[i] is not null).Should().BeLessThanOrEqualTo(g.MostPlaceable, $"{scenario.Name}: {g.Kind} {g.Name}");
                }
            }
            var solved = WeekSolver.Solve(scenario, new SolveOptions(SolverSeconds, 1, 1));
            TimetableChecker.Check(scenario, solved).Should().BeEmpty();
            solved.Sessions.Length.Should().BeLessThanOrEqualTo(counting.MaxPlaceable, $"{scenario.Name}: the count bounds every timetable");
            shortWeeks += counting.Groups.Count > 0 ? 1 : 0;
            proven += optimal ? 1 : 0;
        }
        shortWeeks.Should().BeGreaterThan(Weeks / 4, "the weeks are drawn tight so that the counts are exercised");
        proven.Should().BeGreaterThan(Weeks / 2, "most small weeks are solved whole and proven, giving the true maximum to compare with");
    }
}
