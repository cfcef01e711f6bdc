namespace ControlDropout.Scheduling.Scenarios;

/// <summary>An error in a scenario, by JSON path.</summary>
public sealed record ScenarioError(string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Message}";
}
