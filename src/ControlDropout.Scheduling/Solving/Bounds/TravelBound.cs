using ControlDropout.Scheduling.Timetables;

namespace ControlDropout.Scheduling.Solving.Bounds;

/// <summary>
/// The travel lower bound a timetable reports: the largest of the cheap counting bounds and the
/// column-generation bound, each proven for any timetable placing the same sessions. See "The lower
/// bound" in this project's README.
/// </summary>
internal static class TravelBound
{
    /// <summary>The most the column-generation bound spends, however long the limit: by then it has converged on any week it can bound.</summary>
    private const double MaxSeconds = 10;

    /// <summary>Less time than this left for the CP-SAT fallback is not worth starting it.</summary>
    private const double MinFallbackSeconds = 0.2;

    /// <param name="ctx">The solve's context; its budget says how much of the limit the search has used.</param>
    /// <param name="state">The timetable found.</param>
    /// <param name="timeLimitSeconds">The solve's whole limit: the bound spends what the search left of it (WeekSolver keeps a share back for it), never more.</param>
    public static (int Bound, string Method) For(SearchContext ctx, WeekState state, double timeLimitSeconds)
    {
        // No clamping to the travel found anywhere here: a bound above it would be a bug, and the tests must see it.
        var (cheap, cheapMethod) = TravelLowerBound.For(ctx.Problem, state);
        if (cheap >= state.Travel)
        {
            return (cheap, cheapMethod);
        }
        var forColumns = Math.Min(Left(ctx, timeLimitSeconds), MaxSeconds);
        var columns = forColumns > 0 ? ColumnGenerationBound.Bound(ctx, state, forColumns, stopAt: state.Travel) : null;
        if (columns is { } c && c.Bound > cheap)
        {
            return (c.Bound, LowerBoundMethods.ColumnGeneration);
        }
        // No round of pricing finished in time (a large week): the coarser CP-SAT relaxation may still beat
        // the counts, if the limit leaves it any time.
        var left = Left(ctx, timeLimitSeconds);
        var relaxation = left >= MinFallbackSeconds ? TravelBoundModel.Bound(ctx, state, Math.Min(left, MaxSeconds)) ?? 0 : 0;
        return relaxation > cheap ? (relaxation, LowerBoundMethods.CpSatRelaxation) : (cheap, cheapMethod);
    }

    private static double Left(SearchContext ctx, double timeLimitSeconds) => Math.Max(0, timeLimitSeconds - ctx.Budget.Elapsed);
}
