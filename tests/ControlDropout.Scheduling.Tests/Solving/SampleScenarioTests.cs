using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Solving;
using ControlDropout.Scheduling.Tests.Support;
using ControlDropout.Scheduling.Timetables;
using FluentAssertions;

namespace ControlDropout.Scheduling.Tests.Solving;

/// <summary>The contract's sample week, and repeatability.</summary>
public class SampleScenarioTests
{
    private static Scenario Sample => ScenarioReader.Read(SampleFile.Text).Scenario!;

    [Fact]
    public void Covers_every_child_of_the_sample_whom_some_team_is_qualified_to_teach()
    {
        var scenario = Sample;
        var timetable = Solve.Checked(scenario, seconds: 1);

        // s4, s7 (speech therapy) and s8 (medical) need a skill no teacher in the sample has.
        timetable.Unassigned.Select(u => u.StudentId.Value).Should().BeEquivalentTo("s4", "s7", "s8");
        timetable.Unassigned.Should().OnlyContain(u => u.Reason.Code == ReasonCodes.NoQualifiedTeacher && ReasonReplay.IsTrue(scenario, u));
        timetable.Sessions.Select(s => s.StudentId.Value).Distinct().Should().BeEquivalentTo("s1", "s2", "s3", "s5", "s6");
        timetable.Metrics!.PlacedSessions.Should().Be(7);
        timetable.Status.Should().Be(TimetableStatus.Partial);
    }

    [Fact]
    public void One_worker_and_a_seed_give_byte_identical_output()
    {
        var options = new SolveOptions(0.8, Seed: 7, Workers: 1);

        var first = TimetableJson.Write(WeekSolver.Solve(Sample, options));
        var second = TimetableJson.Write(WeekSolver.Solve(Sample, options));

        second.Should().Be(first);
    }

    [Fact]
    public void Records_the_run_parameters_and_the_OR_Tools_version()
    {
        var timetable = WeekSolver.Solve(Sample, new SolveOptions(0.3, Seed: 3, Workers: 1));

        timetable.Run.Should().NotBeNull();
        timetable.Run!.OrToolsVersion.Should().StartWith("9.15");
        timetable.Run.Seed.Should().Be(3);
        timetable.Run.Deterministic.Should().BeTrue();
    }
}
