using ControlDropout.Cli.Commands;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Timetables;
using FluentAssertions;

namespace ControlDropout.Cli.Tests.Commands;

public class SolveCommandTests
{
    [Fact]
    public void Solves_the_sample_to_a_file_and_summarises_on_stderr()
    {
        using var temp = new TempDir();
        var scenario = temp.Write("sample.json", TempDir.Sample);
        var output = temp.File("timetable.json");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = SolveCommand.Run(scenario, output, timeLimit: 0.5, workers: 1, seed: 1, stdout, stderr);

        exit.Should().Be(ExitCodes.Ok);
        stdout.ToString().Should().BeEmpty();
        TimetableJson.Read(File.ReadAllText(output.FullName)).Status.Should().Be(TimetableStatus.Partial);
        stderr.ToString().Should().Contain("status            Partial").And.Contain("children covered  5 / 8").And.Contain("sessions placed   7 / 10")
            .And.Contain("unassigned        s4 home: NoQualifiedTeacher");
    }

    [Fact]
    public void Writes_the_timetable_to_stdout_without_out()
    {
        using var temp = new TempDir();
        var stdout = new StringWriter();

        var exit = SolveCommand.Run(temp.Write("sample.json", TempDir.Sample), null, 0.3, 1, 1, stdout, new StringWriter());

        exit.Should().Be(ExitCodes.Ok);
        TimetableJson.Read(stdout.ToString()).Sessions.Should().HaveCount(7);
    }

    [Fact]
    public void Exits_2_with_every_error_for_an_invalid_scenario()
    {
        using var temp = new TempDir();
        var broken = TempDir.Sample.Replace("\"sessionMinutes\": 120", "\"sessionMinutes\": 0", StringComparison.Ordinal);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = SolveCommand.Run(temp.Write("broken.json", broken), null, null, null, null, stdout, stderr);

        exit.Should().Be(ExitCodes.Invalid);
        stderr.ToString().Should().Contain("students[0].sessionMinutes: 0 is out of range").And.Contain("students[7].sessionMinutes: 0 is out of range");
        var timetable = TimetableJson.Read(stdout.ToString());
        timetable.Status.Should().Be(TimetableStatus.Invalid);
        stdout.ToString().Should().Contain("\"errors\"");
    }

    [Fact]
    public void Exits_2_for_a_missing_file()
    {
        using var temp = new TempDir();
        var stderr = new StringWriter();

        SolveCommand.Run(temp.File("nope.json"), null, null, null, null, new StringWriter(), stderr).Should().Be(ExitCodes.Invalid);
        stderr.ToString().Should().Contain("does not exist");
    }
}
