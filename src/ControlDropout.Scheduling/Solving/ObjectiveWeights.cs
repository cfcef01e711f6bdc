namespace ControlDropout.Scheduling.Solving;

/// <summary>
/// The objective's order (coverage, travel, stability, preference) folded into one number. Each
/// weight exceeds the largest total the next criterion can reach in a week, except that with a
/// change penalty travel and stability merge: a baseline change costs as much as that many minutes
/// of driving (contract, "What is optimised", level 3).
/// </summary>
internal sealed record ObjectiveWeights(long Unplaced, long TravelMinute, long BaselineChange, long NonPreferred)
{
    private const long LexicographicTravelMinute = 1_000_000;

    public static ObjectiveWeights Lexicographic { get; } = new(1_000_000_000_000, LexicographicTravelMinute, 1_000, 1);

    /// <summary>
    /// Weights for a run. With a penalty the unplaced weight grows so that coverage still dominates
    /// travel plus every change at the largest penalty (24 h) in a week of thousands of sessions.
    /// </summary>
    public static ObjectiveWeights For(int changePenaltyMinutes) => changePenaltyMinutes <= 0
        ? Lexicographic
        : new(1_000_000_000_000_000, LexicographicTravelMinute, changePenaltyMinutes * LexicographicTravelMinute, 1);

    public long Score(int unplaced, int travel, int baselineChanges, int nonPreferred) =>
        unplaced * Unplaced + travel * TravelMinute + baselineChanges * BaselineChange + nonPreferred * NonPreferred;
}
