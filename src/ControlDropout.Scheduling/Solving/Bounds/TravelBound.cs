using ControlDropout.Scheduling.Timetables;

namespace ControlDropout.Scheduling.Solving.Bounds;

/// <summary>
/// The travel lower bound a timetable reports: the largest of the cheap counting bounds and the
/// column-generation bound, each proven for any timetable placing the same sessions. See "The lower
/// bound" in this project's README.
/// </summary>
internal static class TravelBound
{
    /// <summary>Share of the solve's time limit the column-generation bound may spend (60/16 weeks need about a second).</summary>
    public const double LimitShare = 0.1;

    private const double MinSeconds = 0.2;
    private const double MaxSeconds = 10;

    public static (int Bound, string Method) For(SearchContext ctx, WeekState state, double timeLimitSeconds)
    {
        // No clamping to the travel found anywhere here: a bound above it would be a bug, and the tests must see it.
        var (cheap, cheapMethod) = TravelLowerBound.For(ctx.Problem, state);
        if (cheap >= state.Travel)
        {
            return (cheap, cheapMethod);
        }
        var seconds = Math.Clamp(timeLimitSeconds * LimitShare, MinSeconds, MaxSeconds);
        var columns = ColumnGenerationBound.Bound(ctx, state, seconds, stopAt: state.Travel);
        if (columns is { } c && c.Bound > cheap)
        {
            return (c.Bound, LowerBoundMethods.ColumnGeneration);
        }
        // No round of pricing finished in time (a large week): the coarser CP-SAT relaxation still beats the counts.
        var relaxation = TravelBoundModel.Bound(ctx, state, seconds) ?? 0;
        return relaxation > cheap ? (relaxation, LowerBoundMethods.CpSatRelaxation) : (cheap, cheapMethod);
    }
}
