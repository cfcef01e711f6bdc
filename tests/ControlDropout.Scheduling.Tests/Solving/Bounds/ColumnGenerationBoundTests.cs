using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Solving;
using ControlDropout.Scheduling.Solving.Bounds;
using ControlDropout.Scheduling.Tests.Support;
using ControlDropout.Scheduling.Timetables;
using FluentAssertions;

namespace ControlDropout.Scheduling.Tests.Solving.Bounds;

/// <summary>
/// The column-generation bound never exceeds the least travel of any timetable placing the same
/// sessions: checked against a brute force written from the rules on small one-teacher weeks (among
/// them weeks whose LP the subset-row cuts tighten), and against CP-SAT's proven whole-week optimum on
/// small weeks with two-person teams.
/// </summary>
public class ColumnGenerationBoundTests
{
    private const int Weeks = 60;

    private static SearchContext Context(Scenario scenario) =>
        new(new Problem(scenario), new SearchBudget(1000, deterministic: true), 1, 1);

    private static ColumnGenerationBound.Outcome BoundForEverySession(Scenario scenario)
    {
        var ctx = Context(scenario);
        var outcome = ColumnGenerationBound.Bound(ctx, ctx.Problem.Demands, [], seconds: 5);
        outcome.Should().NotBeNull("a small week's pricing is exact from the first round");
        return outcome!;
    }

    [Fact]
    public void Never_exceeds_the_least_travel_found_by_enumerating_every_timetable()
    {
        var feasible = 0;
        var tight = 0;
        for (var seed = 1; seed <= Weeks; seed++)
        {
            var scenario = SmallWeeks.Build(seed);
            if (BruteForce.MinimumTravel(scenario) is not { } minimum)
            {
                continue; // No timetable places every session: nothing to bound.
            }
            feasible++;
            var outcome = BoundForEverySession(scenario);
            outcome.LpOptimal.Should().BeTrue($"week {seed} is small enough to solve the LP over every route");
            outcome.Bound.Should().BeLessThanOrEqualTo(minimum, $"week {seed}: the bound must hold for every timetable");
            tight += outcome.Bound == minimum ? 1 : 0;
        }
        feasible.Should().BeGreaterThanOrEqualTo(Weeks / 3, "many random weeks can place every session");
        // Not a validity claim, a guard against a bound that is valid because it is 0.
        tight.Should().BeGreaterThan(feasible / 2, "on most small weeks the LP over routes is already the optimum");
    }

    [Fact]
    public void Never_exceeds_the_least_travel_on_weeks_where_subset_row_cuts_are_added()
    {
        var cut = 0;
        for (var seed = 1; seed <= 4 * Weeks; seed++)
        {
            var scenario = SmallWeeks.Build(seed, onceAWeek: true);
            if (BruteForce.MinimumTravel(scenario) is not { } minimum)
            {
                continue;
            }
            var outcome = BoundForEverySession(scenario);
            outcome.Bound.Should().BeLessThanOrEqualTo(minimum, $"week {seed}: cuts must hold for every timetable");
            cut += outcome.Cuts > 0 ? 1 : 0;
        }
        cut.Should().BeGreaterThanOrEqualTo(5, "the cuts must be exercised for this test to prove anything");
    }

    [Fact]
    public void Never_exceeds_the_least_travel_under_a_daily_driving_cap()
    {
        var feasible = 0;
        var tighter = 0;
        for (var seed = 1; seed <= Weeks; seed++)
        {
            var week = SmallWeeks.Build(seed);
            var capped = SmallWeeks.Capped(week, 120);
            if (BruteForce.MinimumTravel(capped) is not { } minimum)
            {
                continue;
            }
            feasible++;
            var outcome = BoundForEverySession(capped);
            outcome.Bound.Should().BeLessThanOrEqualTo(minimum, $"week {seed}: the cap holds in every timetable, so pricing may keep it");
            tighter += outcome.Bound > BoundForEverySession(week).Bound ? 1 : 0;
        }
        feasible.Should().BeGreaterThanOrEqualTo(Weeks / 4);
        tighter.Should().BeGreaterThan(0, "the cap must tighten some bound for this test to prove anything");
    }

    [Fact]
    public void Never_exceeds_a_proven_whole_week_optimum_with_two_person_teams()
    {
        var proven = 0;
        for (var seed = 1; seed <= Weeks; seed++)
        {
            var scenario = SmallWeeks.Build(seed, teams: true);
            var ctx = Context(scenario);
            var isFixed = new bool[ctx.Problem.Demands.Length];
            var rng = new Random(seed);
            var built = new RuinAndRecreate(ctx, isFixed, rng).Construct(new WeekState(ctx.Problem, ctx));
            var (state, optimal) = new DayRepacker(ctx, isFixed, rng).SolveWholeWeek(built, 5);
            if (!optimal || state.Unplaced > 0)
            {
                continue;
            }
            proven++;
            var outcome = BoundForEverySession(scenario);
            outcome.Bound.Should().BeLessThanOrEqualTo(state.Travel, $"week {seed}: CP-SAT proved {state.Travel} minimal");
        }
        proven.Should().BeGreaterThanOrEqualTo(Weeks / 6);
    }

    [Fact]
    public void Stops_once_the_bound_meets_the_travel_found()
    {
        // The first small week whose LP takes a few rounds.
        var (scenario, full) = Enumerable.Range(1, Weeks).Select(seed => SmallWeeks.Build(seed))
            .Select(week => (week, BoundForEverySession(week))).First(x => x.Item2.Rounds >= 3 && x.Item2.Bound > 0);
        var ctx = Context(scenario);
        var early = ColumnGenerationBound.Bound(ctx, ctx.Problem.Demands, [], seconds: 5, stopAt: full.Bound / 2);
        early!.Bound.Should().BeGreaterThanOrEqualTo(full.Bound / 2).And.BeLessThanOrEqualTo(full.Bound);
        early.Rounds.Should().BeLessThanOrEqualTo(full.Rounds, "nothing better than the travel found can be proven, so the rounds after it are wasted");
    }
}

/// <summary>The bound spends only what the search left of the limit: none left, no column generation and no CP-SAT fallback.</summary>
public class TravelBoundTimeTests
{
    [Fact]
    public void With_the_limit_spent_the_bound_adds_no_time()
    {
        const double limit = 2;
        var checkedWeeks = 0;
        for (var seed = 1; seed <= 10; seed++)
        {
            var scenario = SmallWeeks.Build(seed);
            var ctx = new SearchContext(new Problem(scenario), new SearchBudget(limit, deterministic: true), 1, 1);
            var state = new RuinAndRecreate(ctx, new bool[ctx.Problem.Demands.Length], new Random(seed)).Construct(new WeekState(ctx.Problem, ctx));
            ctx.Budget.AddWork((long)(limit * SearchBudget.WorkUnitsPerSecond)); // the search used the whole limit
            var spent = ctx.Budget.Elapsed;
            var (bound, method) = TravelBound.For(ctx, state, limit);
            ctx.Budget.Elapsed.Should().Be(spent, $"week {seed}: nothing is left for the bound");
            bound.Should().BeLessThanOrEqualTo(state.Travel);
            method.Should().NotBe(LowerBoundMethods.ColumnGeneration).And.NotBe(LowerBoundMethods.CpSatRelaxation);
            checkedWeeks += state.Travel > 0 ? 1 : 0;
        }
        checkedWeeks.Should().BeGreaterThan(5);
    }
}
