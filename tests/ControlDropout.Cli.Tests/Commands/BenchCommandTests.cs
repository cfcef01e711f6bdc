using ControlDropout.Cli.Commands;
using ControlDropout.Cli.Generation;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Timetables;
using FluentAssertions;

namespace ControlDropout.Cli.Tests.Commands;

public class BenchCommandTests
{
    /// <summary>Solves in this process, one worker, so the test repeats exactly and spawns nothing.</summary>
    private static BenchSolve InProcess(string scenario, string timetable, double limit)
    {
        var exit = SolveCommand.Run(new FileInfo(scenario), new FileInfo(timetable), limit, workers: 1, seed: 1, new StringWriter(), new StringWriter());
        return new BenchSolve(exit, null, 0);
    }

    [Fact]
    public void Prints_one_row_per_instance_with_travel_per_limit_bound_replan_and_grid_columns()
    {
        var suite = new[] { new BenchInstance("tiny", new GenerateRequest(["530902"], 8, 3, 1, Simple: true)) };
        var stdout = new StringWriter();

        var exit = BenchCommand.Run(null, stdout, new StringWriter(), suite, [0.1, 0.2], InProcess);

        exit.Should().Be(ExitCodes.Ok);
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = Cells(lines.Single(l => l.StartsWith("| instance", StringComparison.Ordinal)));
        header.Should().Equal("instance", "placed / required", "children covered", "travel 0.1 s", "travel 0.2 s",
            "lower bound (method)", "gap", "driving max / min", "re-plan changes (forced)", "re-plan travel", "grid 5 min", "grid 10 min", "peak MB");
        var row = Cells(lines.Single(l => l.StartsWith("| tiny", StringComparison.Ordinal)));
        row.Should().HaveCount(header.Length);
        row[1].Should().Be("8 / 8");
        int.Parse(row[3], System.Globalization.CultureInfo.InvariantCulture).Should().BePositive();
        row[5].Should().MatchRegex(@"^\d+ \([a-z-]+\)$");
        row[7].Should().MatchRegex(@"^\d+ / \d+$");
        row[8].Should().MatchRegex(@"^\d+ \(\d+\)$");
        row[10].Should().MatchRegex(@"^\d+ \([+-]\d+\.\d %\)$");
        row[12].Should().Be("n/a");
    }

    [Fact]
    public void A_leave_takes_the_busiest_teacher_away_for_their_busiest_day_and_keeps_the_week_as_baseline()
    {
        var scenario = WeekGenerator.Generate(new GenerateRequest(["530902"], 8, 3, 1, Simple: true), LincangPlaces.Load());
        var t0 = scenario.Teachers[0].Id;
        var t1 = scenario.Teachers[1].Id;
        var s = scenario.Students;
        SessionPlacement On(int student, TeacherId teacher, Weekday day) =>
            new(s[student].Id, SessionMode.Home, day, new TimeOnly(9, 0), new TimeOnly(10, 0), [teacher]);
        var reference = new Timetable(scenario.Name, TimetableStatus.Feasible,
            [On(0, t1, Weekday.Mon), On(1, t1, Weekday.Tue), On(2, t1, Weekday.Tue), On(3, t0, Weekday.Wed)], [], [], null, [], null);

        var (replan, forced) = BenchCommand.WithLeave(scenario, reference);

        forced.Should().Be(2);
        replan.Baseline.Should().Equal(reference.Sessions);
        replan.Options.ChangePenaltyMinutes.Should().Be(BenchCommand.ReplanChangePenaltyMinutes);
        replan.Teachers.Single(t => t.Id == t1).Availability.Should().NotContain(w => w.Day == Weekday.Tue)
            .And.HaveCount(scenario.Teachers.Single(t => t.Id == t1).Availability.Count(w => w.Day != Weekday.Tue));
        replan.Teachers.Single(t => t.Id == t0).Should().Be(scenario.Teachers.Single(t => t.Id == t0));
    }

    private static string[] Cells(string line) => [.. line.Trim().Trim('|').Split('|').Select(c => c.Trim())];
}
