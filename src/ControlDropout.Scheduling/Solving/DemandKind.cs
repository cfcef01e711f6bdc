using ControlDropout.Scheduling.Scenarios;

namespace ControlDropout.Scheduling.Solving;

/// <summary>What a student needs in one mode, and every way it could be delivered on an empty week.</summary>
internal sealed class DemandKind
{
    public required StudentInfo Student { get; init; }
    public required SessionMode Mode { get; init; }
    public required List<TeamOption> Options { get; init; }

    /// <summary>Null when options exist; otherwise why none does, true of the scenario.</summary>
    public required (string Code, string Message)? Impossible { get; init; }

    /// <summary>Every day on which some team could deliver it, counted before options were capped.</summary>
    public HashSet<int> FeasibleDays { get; init; } = [];

    /// <summary>True when options were capped, so a model over them is not the whole problem.</summary>
    public bool Truncated { get; init; }

    public int FeasibleDayCount => FeasibleDays.Count;
}
