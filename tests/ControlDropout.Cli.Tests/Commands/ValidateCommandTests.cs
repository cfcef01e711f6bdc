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
}
