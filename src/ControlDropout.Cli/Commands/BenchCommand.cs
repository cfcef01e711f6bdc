using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ControlDropout.Cli.Generation;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Timetables;

namespace ControlDropout.Cli.Commands;

/// <summary><c>bench [--out FILE]</c>: the fixed suite, each instance solved in its own process so that peak memory is its own.</summary>
internal static class BenchCommand
{
    /// <summary>The fixed suite the README's table reports.</summary>
    public static IReadOnlyList<(string Name, GenerateRequest Request)> Suite { get; } =
    [
        ("20 / 6 (临翔区)", new GenerateRequest(["530902"], 20, 6, 1, TimeLimitSeconds: 10)),
        ("60 / 16 (临翔区, one county)", new GenerateRequest(["530902"], 60, 16, 1, TimeLimitSeconds: 10)),
        ("60 / 16 simple (临翔区)", new GenerateRequest(["530902"], 60, 16, 1, Simple: true, TimeLimitSeconds: 10)),
        ("150 / 40 (沧源 + 耿马)", new GenerateRequest(["530927", "530926"], 150, 40, 1, TimeLimitSeconds: 30)),
        ("400 / 100 (four counties)", new GenerateRequest(["530902", "530922", "530925", "530926"], 400, 100, 1, TimeLimitSeconds: 60)),
    ];

    public static Command Create()
    {
        var output = new Option<FileInfo?>("--out") { Description = "write the Markdown table here as well as to stdout" };
        var command = new Command("bench", "Solve the fixed benchmark suite and print a Markdown table") { output };
        command.SetAction(parse => Run(parse.GetValue(output), Console.Out, Console.Error));
        return command;
    }

    public static int Run(FileInfo? output, TextWriter stdout, TextWriter stderr)
    {
        var inv = CultureInfo.InvariantCulture;
        var table = new StringBuilder();
        table.AppendLine(inv, $"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, OR-Tools {Scheduling.Solving.WeekSolver.OrToolsVersion}; workers 0 (all cores), seed 1.");
        table.AppendLine();
        table.AppendLine("| instance | limit s | placed / required | children covered | travel min | lower bound | gap | solve s | peak MB |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        var dir = Directory.CreateTempSubdirectory("controldropout-bench-");
        var divisions = LincangPlaces.Load();
        foreach (var (name, request) in Suite)
        {
            var scenarioPath = Path.Combine(dir.FullName, "scenario.json");
            var timetablePath = Path.Combine(dir.FullName, "timetable.json");
            File.WriteAllText(scenarioPath, ScenarioWriter.Write(WeekGenerator.Generate(request, divisions)));
            stderr.WriteLine($"bench: {name} …");
            var (exit, peakMb, wall) = SolveInChild(scenarioPath, timetablePath, request.TimeLimitSeconds);
            if (exit != 0)
            {
                table.AppendLine(inv, $"| {name} | {request.TimeLimitSeconds} | failed (exit {exit}) | | | | | | |");
                continue;
            }
            var t = TimetableJson.Read(File.ReadAllText(timetablePath));
            var m = t.Metrics!;
            var gap = m.TravelLowerBound is > 0 ? ((m.TotalTravelMinutes - m.TravelLowerBound.Value) * 100.0 / m.TravelLowerBound.Value).ToString("0.0", inv) + " %" : "n/a";
            table.AppendLine(inv, $"| {name} | {request.TimeLimitSeconds} | {m.PlacedSessions} / {m.RequiredSessions} | {m.StudentsCovered} / {m.Students} | {m.TotalTravelMinutes} | {m.TravelLowerBound?.ToString(inv) ?? "n/a"} | {gap} | {wall.ToString("0.0", inv)} | {peakMb?.ToString("0", inv) ?? "n/a"} |");
        }
        dir.Delete(recursive: true);
        stdout.Write(table.ToString());
        if (output is not null)
        {
            File.WriteAllText(output.FullName, table.ToString());
        }
        return ExitCodes.Ok;
    }

    private static (int Exit, double? PeakMb, double Wall) SolveInChild(string scenario, string timetable, double limit)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this program's path");
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(BenchCommand).Assembly.Location);
        }
        foreach (var a in new[] { "solve", scenario, "--out", timetable, "--time-limit", limit.ToString(CultureInfo.InvariantCulture), "--workers", "0", "--seed", "1" })
        {
            start.ArgumentList.Add(a);
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var wall = clock.Elapsed.TotalSeconds;
        var peakLine = stderr.Result.Split('\n').FirstOrDefault(l => l.StartsWith("peak memory", StringComparison.Ordinal));
        double? peak = peakLine is not null && double.TryParse(peakLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var mb) ? mb : null;
        return (process.ExitCode, peak, wall);
    }
}
