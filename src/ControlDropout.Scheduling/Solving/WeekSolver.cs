using System.Collections.Immutable;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Solving.Bounds;
using ControlDropout.Scheduling.Timetables;

namespace ControlDropout.Scheduling.Solving;

/// <summary>Progress reported while solving: what share of the budget is spent and the best so far.</summary>
public sealed record SolveProgress(string Phase, double BudgetShare, int Placed, int Required, int TravelMinutes);

/// <summary>
/// 排课: solves one template week. See <c>README.md</c> in this project for the design: cheapest
/// insertion, ruin-and-recreate large-neighbourhood search, CP-SAT re-optimisation of a few
/// teachers' days at a time, and a CP-SAT capacity model that proves (or not) why a child is left out.
/// </summary>
public static class WeekSolver
{
    /// <summary>The OR-Tools build this core is pinned to and records in every run.</summary>
    public static string OrToolsVersion => typeof(Google.OrTools.Sat.CpModel).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>Share of the budget spent in ruin and recreate before CP-SAT takes over.</summary>
    private const double RuinAndRecreateShare = 0.75;

    /// <summary>Share kept back for the travel bound that follows the search (the capacity proof starts early: <see cref="CapacityProof"/>).</summary>
    internal const double ProofShare = 0.1;

    /// <summary>Share of the budget a small week may spend being solved whole.</summary>
    private const double WholeWeekShare = 0.5;

    /// <summary>Solves a validated scenario.</summary>
    /// <param name="scenario">The week to solve.</param>
    /// <param name="options">Overrides the scenario's own options.</param>
    /// <param name="progress">Told after construction, after each slice of the search and before the proofs.</param>
    /// <param name="cancellation">Ends every search loop at its next check and stops CP-SAT; the solve then throws <see cref="OperationCanceledException"/>.</param>
    public static Timetable Solve(Scenario scenario, SolveOptions? options = null, IProgress<SolveProgress>? progress = null, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        var opts = options ?? scenario.Options;
        var deterministic = opts.Workers == 1;
        var budget = new SearchBudget(opts.TimeLimitSeconds * (1 - ProofShare), deterministic, cancellation);
        var workers = opts.Workers == 0 ? Environment.ProcessorCount : opts.Workers;
        var problem = new Problem(scenario, opts);
        var ctx = new SearchContext(problem, budget, workers, opts.Seed, opts.ChangePenaltyMinutes);
        var run = new SolverRun("insertion+ruin-recreate+cp-sat", OrToolsVersion, opts.TimeLimitSeconds, opts.Seed, opts.Workers, deterministic);

        var state = new WeekState(problem, ctx);
        var isFixed = new bool[problem.Demands.Length];
        var pinErrors = PinnedSessions.Place(problem, ctx, state, isFixed);
        if (pinErrors.Count > 0)
        {
            return Timetable.Invalid(scenario.Name, pinErrors);
        }

        var counting = CountingBounds.For(ctx);
        var rng = new Random(opts.Seed);
        var baselineKept = BaselineWeek.Keep(ctx, state);
        var constructed = BaselineWeek.Better(ctx, isFixed, new RuinAndRecreate(ctx, isFixed, rng).Construct(state), baselineKept);
        cancellation.ThrowIfCancellationRequested();
        progress?.Report(new SolveProgress("construct", budget.Elapsed / budget.Seconds, problem.Demands.Length - constructed.Unplaced, problem.Demands.Length, constructed.Travel));
        // Reasons settle early: the capacity proof starts now, beside the search or (deterministic) before it.
        var proof = CapacityProof.Start(ctx, constructed, counting, opts.TimeLimitSeconds);

        // One search per core when time is wall-clock (less the proof's worker); one when the run must repeat exactly.
        var portfolio = deterministic ? 1 : Math.Max(1, Math.Min(workers, Environment.ProcessorCount) - (proof.RunsAlongside ? 1 : 0));
        var searches = Enumerable.Range(0, portfolio)
            .Select(i => new RuinAndRecreate(ctx, isFixed, i == 0 ? rng : new Random(unchecked(opts.Seed * 31 + i))))
            .ToArray();
        var bests = Enumerable.Repeat(constructed, portfolio).ToArray();
        state = constructed;
        var repacker = new DayRepacker(ctx, isFixed, rng);
        var proven = false;
        if (problem.Demands.Length <= DayRepacker.WholeWeekMaxSessions)
        {
            // A small week is solved whole first: when CP-SAT proves it, there is nothing left to search.
            (state, proven) = repacker.SolveWholeWeek(state, budget.Seconds * WholeWeekShare);
            bests = Enumerable.Repeat(state, portfolio).ToArray();
        }
        var phaseBegin = budget.Elapsed;
        var phaseEnd = budget.Seconds * RuinAndRecreateShare;
        while (!proven && budget.Elapsed < phaseEnd && !budget.Exhausted && !(state.Unplaced == 0 && state.Travel == 0))
        {
            // Slices let a progress display move while the search runs.
            var sliceEnd = Math.Min(phaseEnd, budget.Elapsed + Math.Max(0.05, budget.Seconds / 40));
            if (portfolio == 1)
            {
                bests[0] = searches[0].Improve(bests[0], sliceEnd, phaseBegin, phaseEnd);
            }
            else
            {
                Parallel.For(0, portfolio, i => bests[i] = searches[i].Improve(bests[i], sliceEnd, phaseBegin, phaseEnd));
            }
            state = bests.MinBy(b => b.Objective)!;
            progress?.Report(new SolveProgress("search", budget.Elapsed / budget.Seconds, problem.Demands.Length - state.Unplaced, problem.Demands.Length, state.Travel));
        }
        cancellation.ThrowIfCancellationRequested();
        if (!proven)
        {
            state = repacker.Improve(state);
        }
        cancellation.ThrowIfCancellationRequested();
        progress?.Report(new SolveProgress("cp-sat", budget.Elapsed / budget.Seconds, problem.Demands.Length - state.Unplaced, problem.Demands.Length, state.Travel));

        var unassigned = Reasons.Explain(ctx, state, counting, proof);
        var sessions = WeekDecoder.Sessions(problem, state);
        var routes = WeekDecoder.Routes(problem, state);
        // A week CP-SAT solved whole and proved is its own bound: no timetable placing as much travels less.
        var (lowerBound, lowerBoundMethod) = proven ? (state.Travel, LowerBoundMethods.Exact) : TravelBound.For(ctx, state, opts.TimeLimitSeconds);
        var placed = sessions.Length;
        var status = placed == problem.Demands.Length
            ? (proven || state.Travel == lowerBound ? TimetableStatus.Optimal : TimetableStatus.Feasible)
            : placed == 0 ? TimetableStatus.Infeasible : TimetableStatus.Partial;
        var covered = sessions.Select(s => s.StudentId).Distinct().Count();
        var changes = WeekDecoder.Changes(scenario, sessions);
        var metrics = new TimetableMetrics(problem.Demands.Length, placed, covered, problem.Students.Length,
            routes.Sum(r => r.TravelMinutes), lowerBound, deterministic ? budget.Elapsed : budget.WallSeconds,
            LowerBoundMethod: lowerBoundMethod,
            BaselineChanges: scenario.Baseline.IsDefaultOrEmpty ? null : changes.Length,
            Teachers: WeekDecoder.Loads(problem, state));
        return new Timetable(scenario.Name, status, sessions, unassigned, routes, metrics, [], run, changes);
    }
}
