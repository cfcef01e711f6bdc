using System.CommandLine;
using ControlDropout.Scheduling.Checking;
using ControlDropout.Scheduling.Timetables;

namespace ControlDropout.Cli.Commands;

/// <summary>
/// <c>validate SCENARIO TIMETABLE</c>: the independent checker; exit 1 on any violation. The scenario is
/// read as strictly as <c>solve</c> reads it (a start grid of 7 minutes is exit 2, with its path), and
/// the timetable is judged on every rule, the start grid and daily driving cap included.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var scenario = new Argument<FileInfo>("scenario") { Description = "scenario v1 JSON file" };
        var timetable = new Argument<FileInfo>("timetable") { Description = "timetable JSON file to check" };
        var command = new Command("validate", "Check a timetable against every hard rule (1-10) and re-derive its routes, metrics and changes") { scenario, timetable };
        command.SetAction(parse => Run(parse.GetValue(scenario)!, parse.GetValue(timetable)!, Console.Out, Console.Error));
        return command;
    }

    public static int Run(FileInfo scenarioFile, FileInfo timetableFile, TextWriter stdout, TextWriter stderr)
    {
        var read = ScenarioFile.Load(scenarioFile, stderr);
        if (!read.IsValid)
        {
            return ExitCodes.Invalid;
        }
        if (!timetableFile.Exists)
        {
            stderr.WriteLine($"error: timetable file '{timetableFile.FullName}' does not exist");
            return ExitCodes.Invalid;
        }
        Timetable timetable;
        try
        {
            timetable = TimetableJson.Read(File.ReadAllText(timetableFile.FullName));
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or InvalidOperationException or KeyNotFoundException)
        {
            stderr.WriteLine($"error: timetable '{timetableFile.Name}' cannot be read: {ex.Message}");
            return ExitCodes.Invalid;
        }
        var violations = TimetableChecker.Check(read.Scenario!, timetable);
        foreach (var line in violations)
        {
            stdout.WriteLine(line);
        }
        if (violations.Count == 0)
        {
            stdout.WriteLine($"ok: {timetable.Sessions.Length} sessions, {timetable.Unassigned.Length} unassigned, every rule holds");
            return ExitCodes.Ok;
        }
        return ExitCodes.Failure;
    }
}
