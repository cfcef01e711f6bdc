using System.CommandLine;
using System.Globalization;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Solving;
using ControlDropout.Scheduling.Timetables;
using Spectre.Console;

namespace ControlDropout.Cli.Commands;

/// <summary><c>solve SCENARIO [--out FILE] [--time-limit S] [--workers N] [--seed K]</c>.</summary>
internal static class SolveCommand
{
    public static Command Create()
    {
        var scenario = new Argument<FileInfo>("scenario") { Description = "scenario v1 JSON file" };
        var output = new Option<FileInfo?>("--out") { Description = "write the timetable here instead of stdout" };
        var timeLimit = new Option<double?>("--time-limit") { Description = "seconds (deterministic seconds with --workers 1); overrides the scenario" };
        var workers = new Option<int?>("--workers") { Description = "solver threads, 0 = every core; 1 gives byte-identical output for the same input and seed" };
        var seed = new Option<int?>("--seed") { Description = "random seed; overrides the scenario" };
        var command = new Command("solve", "Solve a scenario into a weekly timetable") { scenario, output, timeLimit, workers, seed };
        command.SetAction(parse => Run(parse.GetValue(scenario)!, parse.GetValue(output), parse.GetValue(timeLimit), parse.GetValue(workers), parse.GetValue(seed), Console.Out, Console.Error));
        return command;
    }

    public static int Run(FileInfo scenarioFile, FileInfo? output, double? timeLimit, int? workers, int? seed, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            var read = ScenarioFile.Load(scenarioFile, stderr);
            if (!read.IsValid)
            {
                Write(Timetable.Invalid(read.Name, read.Errors), output, stdout);
                return ExitCodes.Invalid;
            }
            var s = read.Scenario!;
            if (timeLimit is <= 0 || workers is < 0)
            {
                stderr.WriteLine("error: --time-limit must be positive and --workers 0 or more");
                return ExitCodes.Invalid;
            }
            // Only what the command line names is overridden: the scenario's start grid and change penalty stand.
            var options = s.Options with { TimeLimitSeconds = timeLimit ?? s.Options.TimeLimitSeconds, Seed = seed ?? s.Options.Seed, Workers = workers ?? s.Options.Workers };
            var started = DateTime.UtcNow;
            var timetable = SolveWithProgress(s, options, stderr);
            var wall = (DateTime.UtcNow - started).TotalSeconds;
            Write(timetable, output, stdout);
            Summary(timetable, wall, stderr);
            return timetable.Status == TimetableStatus.Invalid ? ExitCodes.Invalid : ExitCodes.Ok;
        }
#pragma warning disable CA1031 // The CLI's contract is exit code 1 with a message for any internal failure, never a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            stderr.WriteLine($"error: internal failure: {ex.GetType().Name}: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    private static Timetable SolveWithProgress(Scenario scenario, SolveOptions options, TextWriter stderr)
    {
        if (stderr != Console.Error || Console.IsErrorRedirected)
        {
            return WeekSolver.Solve(scenario, options);
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        Timetable? result = null;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("solving", maxValue: 1.0);
                var progress = new Progress<SolveProgress>(p =>
                {
                    task.Value = Math.Min(1.0, p.BudgetShare);
                    task.Description = $"{p.Phase}: {p.Placed}/{p.Required} placed, {p.TravelMinutes} min travel";
                });
                result = WeekSolver.Solve(scenario, options, progress);
                task.Value = 1.0;
            });
        return result!;
    }

    private static void Write(Timetable timetable, FileInfo? output, TextWriter stdout)
    {
        var json = TimetableJson.Write(timetable);
        if (output is null)
        {
            stdout.Write(json);
        }
        else
        {
            File.WriteAllText(output.FullName, json);
        }
    }

    /// <summary>Peak resident memory of this process (Linux VmHWM), native OR-Tools memory included.</summary>
    private static double? PeakMegabytes()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status))
        {
            return null;
        }
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kb = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return kb is not null && double.TryParse(kb, NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) ? k / 1024 : null;
    }

    private static void Summary(Timetable t, double wallSeconds, TextWriter stderr)
    {
        var m = t.Metrics;
        if (m is null)
        {
            return;
        }
        var inv = CultureInfo.InvariantCulture;
        var gap = m.TravelLowerBound is > 0 ? ((m.TotalTravelMinutes - m.TravelLowerBound.Value) * 100.0 / m.TravelLowerBound.Value).ToString("0.0", inv) + " %" : "n/a";
        stderr.WriteLine($"status            {t.Status}");
        stderr.WriteLine($"children covered  {m.StudentsCovered} / {m.Students}");
        stderr.WriteLine($"sessions placed   {m.PlacedSessions} / {m.RequiredSessions}");
        stderr.WriteLine($"travel            {m.TotalTravelMinutes} min");
        stderr.WriteLine($"lower bound       {(m.TravelLowerBound?.ToString(inv) ?? "n/a")} min (gap {gap})");
        stderr.WriteLine($"time              {wallSeconds.ToString("0.0", inv)} s wall{(t.Run?.Deterministic == true ? $", {m.SolveSeconds.ToString("0.0", inv)} s deterministic" : "")}");
        if (PeakMegabytes() is { } peak)
        {
            stderr.WriteLine($"peak memory       {peak.ToString("0", inv)} MB");
        }
        foreach (var u in t.Unassigned)
        {
            stderr.WriteLine($"unassigned        {u.StudentId} {(u.Mode == SessionMode.Home ? "home" : "remote")}: {u.Reason.Code}");
        }
    }
}
