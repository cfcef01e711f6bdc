using ControlDropout.Cli.Commands;
using FluentAssertions;

namespace ControlDropout.Cli.Tests.Commands;

public class ValidateCommandTests
{
    [Fact]
    public void Accepts_what_solve_wrote()
    {
        using var temp = new TempDir();
        var scenario = temp.Write("sample.json", TempDir.Sample);
        var timetable = temp.File("timetable.json");
        SolveCommand.Run(scenario, timetable, 0.3, 1, 1, new StringWriter(), new StringWriter()).Should().Be(0);
        var stdout = new StringWriter();

        ValidateCommand.Run(scenario, timetable, stdout, new StringWriter()).Should().Be(ExitCodes.Ok);
        stdout.ToString().Should().StartWith("ok: 7 sessions, 3 unassigned");
    }

    [Fact]
    public void Exits_1_with_one_line_per_violation()
    {
        using var temp = new TempDir();
        var scenario = temp.Write("sample.json", TempDir.Sample);
        var timetable = temp.File("timetable.json");
        SolveCommand.Run(scenario, timetable, 0.3, 1, 1, new StringWriter(), new StringWriter());
        // Shift every session by a minute: travel and windows no longer line up with the routes.
        var text = File.ReadAllText(timetable.FullName);
        File.WriteAllText(timetable.FullName, text.Replace("\"totalTravelMinutes\": ", "\"totalTravelMinutes\": 1", StringComparison.Ordinal));
        var stdout = new StringWriter();

        ValidateCommand.Run(scenario, timetable, stdout, new StringWriter()).Should().Be(ExitCodes.Failure);
        stdout.ToString().Should().StartWith("metrics.totalTravelMinutes: 1");
    }

    [Fact]
    public void Exits_2_for_an_unreadable_timetable()
    {
        using var temp = new TempDir();
        var stderr = new StringWriter();

        ValidateCommand.Run(temp.Write("sample.json", TempDir.Sample), temp.Write("t.json", "{\"status\":\"Nope\"}"), new StringWriter(), stderr)
            .Should().Be(ExitCodes.Invalid);
        stderr.ToString().Should().Contain("cannot be read");
    }

    [Fact]
    public void Exits_2_for_a_start_grid_that_is_not_allowed_naming_the_path()
    {
        using var temp = new TempDir();
        var scenario = temp.Write("grid7.json", WithOptions(TempDir.Sample, "\"startTimeStepMinutes\": 7"));
        var timetable = temp.Write("t.json", "{}");
        var stderr = new StringWriter();

        ValidateCommand.Run(scenario, timetable, new StringWriter(), stderr).Should().Be(ExitCodes.Invalid);
        stderr.ToString().Should().Contain("options.startTimeStepMinutes: 7 is not one of 1, 5, 10, 15, 30");
    }

    [Fact]
    public void Prints_the_rule_9_violation_of_a_timetable_off_the_start_grid()
    {
        using var temp = new TempDir();
        var scenario = temp.Write("sample.json", TempDir.Sample);
        var timetable = temp.File("timetable.json");
        SolveCommand.Run(scenario, timetable, 0.3, 1, 1, new StringWriter(), new StringWriter()).Should().Be(0);
        // The same week, now asked to start on the half hour: the minute-grid timetable no longer fits.
        var onTheHalfHour = temp.Write("half-hour.json", WithOptions(TempDir.Sample, "\"startTimeStepMinutes\": 30"));
        var offGrid = Scheduling.Timetables.TimetableJson.Read(File.ReadAllText(timetable.FullName)).Sessions
            .Count(s => (s.Start.Hour * 60 + s.Start.Minute) % 30 != 0);
        var stdout = new StringWriter();

        var exit = ValidateCommand.Run(onTheHalfHour, timetable, stdout, new StringWriter());

        offGrid.Should().BePositive("the sample's solve has starts off the half hour");
        exit.Should().Be(ExitCodes.Failure);
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Should().HaveCount(offGrid).And.OnlyContain(l => l.StartsWith("rule 9: sessions[", StringComparison.Ordinal) && l.EndsWith("starts off the 30-minute grid", StringComparison.Ordinal));
    }

    private static string WithOptions(string scenario, string option) =>
        scenario.Replace("\"options\": {", "\"options\": { " + option + ",", StringComparison.Ordinal);
}
