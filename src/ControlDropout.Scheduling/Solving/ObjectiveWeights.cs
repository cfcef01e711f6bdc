namespace ControlDropout.Scheduling.Solving;

/// <summary>
/// The objective's lexicographic order (coverage, travel, stability, preference) folded into one
/// number. Each weight exceeds the largest total the next criterion can reach in a week.
/// </summary>
internal sealed record ObjectiveWeights(long Unplaced, long TravelMinute, long BaselineChange, long NonPreferred)
{
    public static ObjectiveWeights Lexicographic { get; } = new(1_000_000_000_000, 1_000_000, 1_000, 1);

    public long Score(int unplaced, int travel, int baselineChanges, int nonPreferred) =>
        unplaced * Unplaced + travel * TravelMinute + baselineChanges * BaselineChange + nonPreferred * NonPreferred;
}
