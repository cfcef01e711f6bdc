using ControlDropout.Scheduling.Scenarios;

namespace ControlDropout.Cli.Commands;

/// <summary>Loads a scenario file and reports why it cannot be used.</summary>
internal static class ScenarioFile
{
    public static ScenarioReadResult Load(FileInfo file, TextWriter error)
    {
        if (!file.Exists)
        {
            error.WriteLine($"error: scenario file '{file.FullName}' does not exist");
            return new ScenarioReadResult(null, "", [new("$", "file not found")]);
        }
        var result = ScenarioReader.Read(File.ReadAllText(file.FullName));
        if (!result.IsValid)
        {
            error.WriteLine($"error: scenario '{file.Name}' is invalid ({result.Errors.Length} error(s)):");
            foreach (var e in result.Errors)
            {
                error.WriteLine($"  {e}");
            }
        }
        return result;
    }
}
