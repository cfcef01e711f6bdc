namespace ControlDropout.Scheduling.Solving;

/// <summary>
/// The search's start: several constructions of the same week (cheapest insertion hardest first,
/// regret-2, regret-3, a noisy regret-2), the best one kept. Which construction wins depends on the
/// week, and a better start is worth most when the limit is short. With a wall-clock budget the
/// members are built in parallel; with a deterministic one, one after the other while the next is
/// expected to end inside the pool's share of the budget (the first two are always built).
/// </summary>
internal sealed class StartPool(SearchContext ctx, bool[] isFixed)
{
    /// <summary>Share of the budget after which no further member is started (deterministic runs).</summary>
    private const double PoolShare = 0.05;

    /// <summary>Members always built, whatever the budget: cheapest insertion and regret-2.</summary>
    private const int AlwaysBuilt = 2;

    /// <summary>Regret k (0: cheapest insertion in hardness order) and the noise on each regret.</summary>
    private static readonly (int K, double Noise)[] Members = [(0, 0), (2, 0), (3, 0), (2, 0.3)];

    /// <summary>Builds the pool from <paramref name="start"/> (pins placed) and returns the best member.</summary>
    public WeekState Build(WeekState start, int seed)
    {
        var regret = new RegretInsertion(ctx);
        var budget = ctx.Budget;
        var built = new WeekState?[Members.Length];
        if (budget.Deterministic)
        {
            // A member costs about what the one before it did: start one only if it should end inside the share.
            var lastCost = 0.0;
            for (var i = 0; i < Members.Length; i++)
            {
                if (i >= AlwaysBuilt && budget.Elapsed + lastCost > budget.Seconds * PoolShare)
                {
                    break;
                }
                var before = budget.Elapsed;
                built[i] = Construct(regret, start.Clone(), i, seed);
                lastCost = budget.Elapsed - before;
            }
        }
        else
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, ctx.Workers), CancellationToken = budget.Cancellation };
            Parallel.For(0, Members.Length, options, i => built[i] = Construct(regret, start.Clone(), i, seed));
        }
        WeekState? best = null;
        foreach (var member in built)
        {
            if (member is not null && (best is null || member.Objective < best.Objective))
            {
                best = member;
            }
        }
        return best!;
    }

    private WeekState Construct(RegretInsertion regret, WeekState state, int member, int seed)
    {
        var (k, noise) = Members[member];
        var rng = new Random(unchecked(seed * 7919 + member));
        return k == 0 ? new RuinAndRecreate(ctx, isFixed, rng).Construct(state) : regret.Construct(state, k, noise, rng);
    }
}
