using Google.OrTools.Sat;

namespace ControlDropout.Scheduling.Solving;

/// <summary>What the capacity model proved: at most <paramref name="Bound"/> sessions placeable (null: no bound), and who conflicts.</summary>
internal sealed record CapacityOutcome(long? Bound, IReadOnlyList<string> Children, IReadOnlyList<string> Teachers);

/// <summary>
/// The CP-SAT capacity proof (<see cref="CapacityModel"/>), started as soon as construction leaves a
/// session unplaced that the counting bounds do not already explain. Its answer does not depend on
/// the search — it bounds every timetable — so it may run before or beside the search and be
/// compared with the final timetable at the end. With more than one worker on the wall clock it runs
/// beside the search on its own worker; when the run must repeat exactly it runs before the search
/// and its deterministic time comes out of the search's budget (nothing reads the clock).
/// </summary>
internal sealed class CapacityProof
{
    /// <summary>The bound may use this share of the limit: a week provable in the limit is proven in half of it.</summary>
    public const double BoundShare = 0.4;

    /// <summary>Naming the children and teachers in the conflict (an unsatisfiable core) uses this share.</summary>
    public const double ConflictShare = 0.1;

    /// <summary>Even a tiny limit gives the proof this many seconds (a small week's model solves in far less).</summary>
    public const double MinSeconds = 0.05;

    private readonly Task<CapacityOutcome>? _alongside;
    private readonly CapacityOutcome? _outcome;

    private CapacityProof(Task<CapacityOutcome>? alongside, CapacityOutcome? outcome)
    {
        _alongside = alongside;
        _outcome = outcome;
    }

    /// <summary>No proof was needed: nothing was left out, or the counting bounds already explain it.</summary>
    public static CapacityProof NotNeeded { get; } = new(null, null);

    /// <summary>True while the proof holds one worker beside the search.</summary>
    public bool RunsAlongside => _alongside is not null;

    /// <summary>Starts the proof if the constructed week leaves out a session the counting bounds do not explain.</summary>
    public static CapacityProof Start(SearchContext ctx, WeekState constructed, CountingBounds counting, double limitSeconds)
    {
        var placed = ctx.Problem.Demands.Length - constructed.Unplaced;
        // Coverage never gets worse during the search: a construction that already meets the counting
        // bound ends there, and the counting bound explains every session left out.
        if (constructed.Unplaced == 0 || placed >= counting.MaxPlaceable)
        {
            return NotNeeded;
        }
        var boundSeconds = Math.Max(MinSeconds, limitSeconds * BoundShare);
        var conflictSeconds = Math.Max(MinSeconds, limitSeconds * ConflictShare);
        if (!ctx.Budget.Deterministic && ctx.Workers >= 2)
        {
            return new CapacityProof(Task.Run(() => Prove(ctx, counting.MaxPlaceable, boundSeconds, conflictSeconds)), null);
        }
        return new CapacityProof(null, Prove(ctx, counting.MaxPlaceable, boundSeconds, conflictSeconds));
    }

    /// <summary>The proof's answer, waiting for it if it runs alongside (its own time limit ends it); null when not needed.</summary>
    public CapacityOutcome? Result() => _alongside is { } task ? task.GetAwaiter().GetResult() : _outcome;

    private static CapacityOutcome Prove(SearchContext ctx, int counted, double boundSeconds, double conflictSeconds)
    {
        // On the wall clock the model's construction counts against the proof's share; a
        // deterministic run reads no clock and counts CP-SAT's deterministic time only.
        var clock = ctx.Budget.Deterministic ? null : System.Diagnostics.Stopwatch.StartNew();
        double Left(double seconds) => Math.Max(MinSeconds, seconds - (clock?.Elapsed.TotalSeconds ?? 0));
        var (status, bound) = new CapacityModel(ctx).MaxPlaced(ctx.Seed, Left(boundSeconds), counted);
        if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible))
        {
            return new CapacityOutcome(status == CpSolverStatus.Infeasible ? 0 : null, [], []);
        }
        var possible = ctx.KindOf.Count(k => k.Impossible is null);
        if (bound >= possible)
        {
            return new CapacityOutcome(bound, [], []);
        }
        var (children, teachers) = new CapacityModel(ctx).Conflict(ctx.Seed, Left(boundSeconds + conflictSeconds));
        return new CapacityOutcome(bound, children, teachers);
    }
}
