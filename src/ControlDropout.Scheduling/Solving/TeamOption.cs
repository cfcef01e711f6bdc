namespace ControlDropout.Scheduling.Solving;

/// <summary>A team and a day on which that team could, on an empty week, teach the demand.</summary>
internal sealed record TeamOption(int[] Team, int Day, int StaticCost, int NonPreferred);
