using System.Collections.Immutable;
using ControlDropout.Scheduling.Checking;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Solving;
using ControlDropout.Scheduling.Tests.Support;
using ControlDropout.Scheduling.Timetables;
using FluentAssertions;

namespace ControlDropout.Scheduling.Tests.Solving;

/// <summary>
/// The search's start: regret-k construction and the pool of constructions. Every construction is
/// checked as a timetable of its own, repeats exactly, and the pool never places fewer sessions
/// than cheapest insertion hardest first (the construction it replaced).
/// </summary>
public class ConstructionTests
{
    private static readonly Weekday[] Days = [Weekday.Mon, Weekday.Tue, Weekday.Wed, Weekday.Thu];

    /// <summary>The sample and small random weeks: teams, twice-a-week children, tight windows and loads, on a matrix plane.</summary>
    public static TheoryData<int> Weeks => [.. Enumerable.Range(0, 24)];

    private static Scenario Week(int seed)
    {
        if (seed == 0)
        {
            return ScenarioReader.Read(SampleFile.Text).Scenario!;
        }
        var rng = new Random(seed);
        var places = new List<(string Id, int X, int Y)>();
        string Place(string id)
        {
            places.Add((id, rng.Next(80), rng.Next(80)));
            return id;
        }
        ImmutableArray<Window> Windows() =>
        [
            .. Days.Where(_ => rng.Next(4) > 0).Select(d =>
            {
                var from = 8 * 60 + rng.Next(3) * 60;
                var to = Math.Min(18 * 60, from + 180 + rng.Next(6) * 60);
                return new Window(d, new TimeOnly(from / 60, 0), new TimeOnly(to / 60, 0));
            }),
        ];
        var teacherCount = 3 + rng.Next(4);
        var teachers = Enumerable.Range(1, teacherCount).Select(i => new Teacher(
            new TeacherId($"t{i}"), $"t{i}", new PlaceId(Place($"b{i}")), ["special-education"], true,
            Windows(), 3 + rng.Next(5), rng.Next(3) == 0 ? 300 : null)).ToImmutableArray();
        var students = Enumerable.Range(1, 8 + rng.Next(10)).Select(i => new Student(
            new StudentId($"s{i}"), $"s{i}", new PlaceId(Place($"h{i}")), 1 + (rng.Next(4) == 0 ? 1 : 0), rng.Next(5) == 0 ? 1 : 0,
            60, rng.Next(5) == 0 ? 2 : 1, ["special-education"], Windows(), [], null)).ToImmutableArray();
        var ids = places.Select(p => new PlaceId(p.Id)).ToImmutableArray();
        var minutes = places.Select(a => places.Select(b => (int)Math.Round(Math.Sqrt(Math.Pow(a.X - b.X, 2) + Math.Pow(a.Y - b.Y, 2)))).ToImmutableArray()).ToImmutableArray();
        return new Scenario($"construction week {seed}", "Asia/Shanghai", [.. Days], new MatrixTravel(ids, minutes),
            [.. places.Select(p => new Place(new PlaceId(p.Id), p.Id, 23.88 + p.X * 0.005, 100.08 + p.Y * 0.005))],
            teachers, students, [], [], new SolveOptions(0.2, 1, 1));
    }

    /// <summary>The week with its pins placed, ready for a construction.</summary>
    private static (Problem Problem, SearchContext Ctx, WeekState State, bool[] IsFixed) Start(Scenario scenario)
    {
        var problem = new Problem(scenario);
        var ctx = new SearchContext(problem, new SearchBudget(10, deterministic: true), 1, 1);
        var state = new WeekState(problem, ctx);
        var isFixed = new bool[problem.Demands.Length];
        PinnedSessions.Place(problem, ctx, state, isFixed).Should().BeEmpty();
        return (problem, ctx, state, isFixed);
    }

    /// <summary>A construction as a timetable, so that the independent checker can judge it.</summary>
    private static Timetable AsTimetable(Scenario scenario, Problem problem, WeekState state)
    {
        var sessions = WeekDecoder.Sessions(problem, state);
        var routes = WeekDecoder.Routes(problem, state);
        var metrics = new TimetableMetrics(problem.Demands.Length, sessions.Length, sessions.Select(s => s.StudentId).Distinct().Count(),
            problem.Students.Length, routes.Sum(r => r.TravelMinutes), null, 0, Teachers: WeekDecoder.Loads(problem, state));
        // A construction explains nothing: whatever it left out is simply out of time.
        var unassigned = problem.Demands.Where(q => state.Placements[q.Index] is null)
            .Select(q => new UnassignedSession(q.Student.Source.Id, q.Mode, new Reason(ReasonCodes.TimeLimitReached, "left out by the construction")));
        return new Timetable(scenario.Name, sessions.Length == problem.Demands.Length ? TimetableStatus.Feasible : TimetableStatus.Partial,
            sessions, [.. unassigned], routes, metrics, [], null);
    }

    [Theory]
    [MemberData(nameof(Weeks))]
    public void Every_construction_passes_the_checker_and_the_pool_places_at_least_as_many_as_cheapest_insertion(int seed)
    {
        var scenario = Week(seed);
        var (problem, ctx, state, isFixed) = Start(scenario);

        var cheapest = new RuinAndRecreate(ctx, isFixed, new Random(1)).Construct(state.Clone());
        var regret2 = new RegretInsertion(ctx).Construct(state.Clone(), 2, 0, new Random(1));
        var regret3 = new RegretInsertion(ctx).Construct(state.Clone(), 3, 0.3, new Random(1));
        var pool = new StartPool(ctx, isFixed).Build(state.Clone(), 1);

        foreach (var built in new[] { cheapest, regret2, regret3, pool })
        {
            var timetable = AsTimetable(scenario, problem, built);
            TimetableChecker.Check(scenario, timetable).Should().BeEmpty("every construction must be a valid partial timetable");
            built.Travel.Should().Be(timetable.Metrics!.TotalTravelMinutes);
        }
        pool.Unplaced.Should().BeLessThanOrEqualTo(cheapest.Unplaced);
        pool.Objective.Should().BeLessThanOrEqualTo(cheapest.Objective, "the pool keeps its best member, cheapest insertion among them");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    public void Regret_construction_and_the_pool_repeat_exactly(int seed)
    {
        var scenario = Week(seed);
        string Build()
        {
            var (problem, ctx, state, isFixed) = Start(scenario);
            var pool = new StartPool(ctx, isFixed).Build(state, 1);
            return TimetableJson.Write(AsTimetable(scenario, problem, pool));
        }
        string BuildRegret()
        {
            var (problem, ctx, state, _) = Start(scenario);
            return TimetableJson.Write(AsTimetable(scenario, problem, new RegretInsertion(ctx).Construct(state, 2, 0.3, new Random(5))));
        }

        Build().Should().Be(Build());
        BuildRegret().Should().Be(BuildRegret());
        TimetableJson.Write(Solve.Checked(scenario, 0.3)).Should().Be(TimetableJson.Write(Solve.Checked(scenario, 0.3)));
    }
}
