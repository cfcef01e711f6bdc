using System.Collections.Immutable;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ControlDropout.Cli.Generation;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Timetables;

namespace ControlDropout.Cli.Commands;

/// <summary>One instance of the suite: a generated week.</summary>
internal sealed record BenchInstance(string Name, GenerateRequest Request);

/// <summary>What one solve in a child process gave: its exit code, peak memory and wall time.</summary>
internal sealed record BenchSolve(int Exit, double? PeakMb, double WallSeconds);

/// <summary>
/// Solves one scenario file into a timetable file with the given limit (workers 0, seed 1). The
/// command runs each solve in its own process; tests may solve in-process.
/// </summary>
internal delegate BenchSolve BenchSolver(string scenarioPath, string timetablePath, double limitSeconds);

/// <summary>
/// <c>bench [--out FILE]</c>: the fixed suite, each solve in its own process so that peak memory is
/// its own. For each instance: travel after each of <see cref="Limits"/> (separate runs), the longest
/// run's bound, gap and teacher driving, a re-plan after a one-day leave against that run as baseline,
/// and the travel cost of a coarser start grid.
/// </summary>
internal static class BenchCommand
{
    /// <summary>The time limits every instance is solved with, shortest first; the last is the reference run.</summary>
    public static IReadOnlyList<double> Limits { get; } = [1, 2, 5, 10];

    /// <summary>The re-plan's change penalty, the county policy's default.</summary>
    public const int ReplanChangePenaltyMinutes = 60;

    /// <summary>Start grids (minutes) priced against the 1-minute grid of the reference run.</summary>
    public static IReadOnlyList<int> GridSteps { get; } = [5, 10];

    /// <summary>The fixed suite the README's table reports.</summary>
    public static IReadOnlyList<BenchInstance> Suite { get; } =
    [
        new("20 / 6 (临翔区)", new GenerateRequest(["530902"], 20, 6, 1)),
        new("60 / 16 (临翔区, one county)", new GenerateRequest(["530902"], 60, 16, 1)),
        new("60 / 16 simple (临翔区)", new GenerateRequest(["530902"], 60, 16, 1, Simple: true)),
        new("150 / 40 (沧源 + 耿马)", new GenerateRequest(["530927", "530926"], 150, 40, 1)),
        new("400 / 100 (four counties)", new GenerateRequest(["530902", "530922", "530925", "530926"], 400, 100, 1)),
    ];

    public static Command Create()
    {
        var output = new Option<FileInfo?>("--out") { Description = "write the Markdown table here as well as to stdout" };
        var command = new Command("bench", "Solve the fixed benchmark suite and print a Markdown table") { output };
        command.SetAction(parse => Run(parse.GetValue(output), Console.Out, Console.Error));
        return command;
    }

    public static int Run(FileInfo? output, TextWriter stdout, TextWriter stderr) =>
        Run(output, stdout, stderr, Suite, Limits, SolveInChild);

    public static int Run(FileInfo? output, TextWriter stdout, TextWriter stderr, IReadOnlyList<BenchInstance> suite, IReadOnlyList<double> limits, BenchSolver solve)
    {
        var inv = CultureInfo.InvariantCulture;
        var reference = limits[^1];
        var table = new StringBuilder();
        table.AppendLine(inv, $"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, OR-Tools {Scheduling.Solving.WeekSolver.OrToolsVersion}; workers 0 (all cores), seed 1.");
        table.AppendLine();
        table.AppendLine(Row(["instance", "placed / required", "children covered", .. limits.Select(l => $"travel {l.ToString(inv)} s"),
            "lower bound (method)", "gap", "driving max / min", "re-plan changes (forced)", "re-plan travel", .. GridSteps.Select(g => $"grid {g} min"), "peak MB"]));
        table.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---:|", 8 + limits.Count + GridSteps.Count)));
        var dir = Directory.CreateTempSubdirectory("controldropout-bench-");
        var divisions = LincangPlaces.Load();
        foreach (var (name, request) in suite)
        {
            var scenario = WeekGenerator.Generate(request, divisions);
            var cells = new List<string>();
            double? peak = null;
            Timetable? last = null;
            var failed = false;
            foreach (var limit in limits)
            {
                stderr.WriteLine($"bench: {name}, {limit.ToString(inv)} s …");
                var (timetable, run) = SolveOnce(dir, scenario, limit, solve);
                peak = Max(peak, run.PeakMb);
                cells.Add(timetable?.Metrics?.TotalTravelMinutes.ToString(inv) ?? $"failed (exit {run.Exit})");
                last = timetable;
                failed |= timetable is null;
            }
            if (last?.Metrics is not { } m || failed)
            {
                table.AppendLine(Row([name, "failed", "", .. cells, "", "", "", "", "", .. GridSteps.Select(_ => ""), ""]));
                continue;
            }

            stderr.WriteLine($"bench: {name}, re-plan after a leave …");
            var (replanScenario, forced) = WithLeave(scenario, last);
            var (replan, replanRun) = SolveOnce(dir, replanScenario, reference, solve);
            peak = Max(peak, replanRun.PeakMb);
            var replanChanges = replan?.Metrics is { } rm ? $"{rm.BaselineChanges?.ToString(inv) ?? "n/a"} ({forced.ToString(inv)})" : $"failed (exit {replanRun.Exit})";
            var replanTravel = replan?.Metrics?.TotalTravelMinutes.ToString(inv) ?? "";

            var gridCells = new List<string>();
            foreach (var step in GridSteps)
            {
                stderr.WriteLine($"bench: {name}, start grid {step} min …");
                var (grid, gridRun) = SolveOnce(dir, scenario with { Options = scenario.Options with { StartTimeStepMinutes = step } }, reference, solve);
                peak = Max(peak, gridRun.PeakMb);
                gridCells.Add(grid?.Metrics is { } gm ? $"{gm.TotalTravelMinutes.ToString(inv)} ({Percent(gm.TotalTravelMinutes - m.TotalTravelMinutes, m.TotalTravelMinutes)})" : $"failed (exit {gridRun.Exit})");
            }

            var bound = m.TravelLowerBound is { } lb ? $"{lb.ToString(inv)} ({m.LowerBoundMethod ?? "n/a"})" : "n/a";
            var gap = m.TravelLowerBound is > 0 ? ((m.TotalTravelMinutes - m.TravelLowerBound.Value) * 100.0 / m.TravelLowerBound.Value).ToString("0.0", inv) + " %" : "n/a";
            var driving = m.Teachers.IsDefaultOrEmpty || !m.Teachers.Any(t => t.Sessions > 0)
                ? "n/a"
                : $"{m.Teachers.Where(t => t.Sessions > 0).Max(t => t.TravelMinutes).ToString(inv)} / {m.Teachers.Where(t => t.Sessions > 0).Min(t => t.TravelMinutes).ToString(inv)}";
            table.AppendLine(Row([name, $"{m.PlacedSessions} / {m.RequiredSessions}", $"{m.StudentsCovered} / {m.Students}", .. cells,
                bound, gap, driving, replanChanges, replanTravel, .. gridCells, peak?.ToString("0", inv) ?? "n/a"]));
        }
        dir.Delete(recursive: true);
        stdout.Write(table.ToString());
        if (output is not null)
        {
            File.WriteAllText(output.FullName, table.ToString());
        }
        return ExitCodes.Ok;
    }

    /// <summary>
    /// The re-plan: the reference timetable becomes the baseline, and the teacher with the most
    /// sessions takes their busiest day off (ties to the first in the scenario). Returns the scenario
    /// and how many baseline sessions the leave forces to change.
    /// </summary>
    internal static (Scenario Scenario, int Forced) WithLeave(Scenario scenario, Timetable reference)
    {
        var withBaseline = scenario with
        {
            Baseline = reference.Sessions,
            Options = scenario.Options with { ChangePenaltyMinutes = ReplanChangePenaltyMinutes },
        };
        var busiest = reference.Sessions
            .SelectMany(s => s.TeacherIds.Select(t => (Teacher: t, s.Day)))
            .GroupBy(x => x.Teacher)
            .Select(g => (Teacher: g.Key, Sessions: g.Count(), Day: g.GroupBy(x => x.Day).OrderByDescending(d => d.Count()).ThenBy(d => d.Key).First().Key))
            .OrderByDescending(x => x.Sessions)
            .ThenBy(x => scenario.Teachers.IndexOf(scenario.Teachers.First(t => t.Id == x.Teacher)))
            .Cast<(TeacherId Teacher, int Sessions, Weekday Day)?>()
            .FirstOrDefault();
        if (busiest is not { } leave)
        {
            return (withBaseline, 0);
        }
        var teachers = scenario.Teachers
            .Select(t => t.Id == leave.Teacher ? t with { Availability = [.. t.Availability.Where(w => w.Day != leave.Day)] } : t)
            .ToImmutableArray();
        var forced = reference.Sessions.Count(s => s.Day == leave.Day && s.TeacherIds.Contains(leave.Teacher));
        return (withBaseline with { Teachers = teachers }, forced);
    }

    private static (Timetable? Timetable, BenchSolve Run) SolveOnce(DirectoryInfo dir, Scenario scenario, double limit, BenchSolver solve)
    {
        var scenarioPath = Path.Combine(dir.FullName, "scenario.json");
        var timetablePath = Path.Combine(dir.FullName, "timetable.json");
        File.Delete(timetablePath);
        File.WriteAllText(scenarioPath, ScenarioWriter.Write(scenario));
        var run = solve(scenarioPath, timetablePath, limit);
        var timetable = run.Exit == 0 && File.Exists(timetablePath) ? TimetableJson.Read(File.ReadAllText(timetablePath)) : null;
        return (timetable, run);
    }

    private static string Row(IEnumerable<string> cells) => "| " + string.Join(" | ", cells) + " |";

    private static double? Max(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static string Percent(int delta, int of) =>
        of == 0 ? "n/a" : (delta >= 0 ? "+" : "") + (delta * 100.0 / of).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private static BenchSolve SolveInChild(string scenario, string timetable, double limit)
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
        return new BenchSolve(process.ExitCode, peak, wall);
    }
}
