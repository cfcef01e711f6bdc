using System.Text.Json;

namespace ControlDropout.Scheduling.Scenarios;

public static partial class ScenarioReader
{
    // Solver options: optional, each with the contract's default.
    private sealed partial class Walker
    {
        private SolveOptions ReadOptions(JsonElement root)
        {
            if (Prop(root, "$", "options", required: false) is not { } options || options.ValueKind == JsonValueKind.Null)
            {
                return SolveOptions.Default;
            }
            if (!ExpectObject(options, "options", "timeLimitSeconds", "seed", "workers", "startTimeStepMinutes", "changePenaltyMinutes"))
            {
                return SolveOptions.Default;
            }
            var defaults = SolveOptions.Default;
            var limit = Number(options, "options", "timeLimitSeconds", 0, 86_400, exclusiveMin: true, required: false) ?? defaults.TimeLimitSeconds;
            var seed = Int(options, "options", "seed", 0, required: false) ?? defaults.Seed;
            var workers = Int(options, "options", "workers", 0, 256, required: false) ?? defaults.Workers;
            // Any whole number is read so that 0, 7 and 31 all get the one message that names the grids allowed.
            var step = Int(options, "options", "startTimeStepMinutes", int.MinValue, required: false) ?? defaults.StartTimeStepMinutes;
            if (!SolveOptions.StartTimeSteps.Contains(step))
            {
                Error("options.startTimeStepMinutes", $"{step} is not one of {string.Join(", ", SolveOptions.StartTimeSteps)}");
                step = defaults.StartTimeStepMinutes;
            }
            var penalty = Int(options, "options", "changePenaltyMinutes", 0, SolveOptions.MaxChangePenaltyMinutes, required: false) ?? defaults.ChangePenaltyMinutes;
            return new SolveOptions(limit, seed, workers, step, penalty);
        }
    }
}
