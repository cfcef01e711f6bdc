using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Tests.Support;
using ControlDropout.Scheduling.Timetables;
using FluentAssertions;

namespace ControlDropout.Scheduling.Tests.Rules;

/// <summary>Rule 1: each student gets exactly the home and remote sessions the plan asks for, each exactly sessionMinutes long.</summary>
public class SessionsPerStudentTests
{
    [Fact]
    public void Places_every_home_and_remote_session_with_the_plans_length()
    {
        var scenario = new Week().Place("base", 0).Place("h1", 20)
            .Teacher("t1", "base")
            .Student("s1", "h1", home: 2, remote: 1, minutes: 90)
            .Build();

        var timetable = Solve.Checked(scenario);

        timetable.Status.Should().Be(TimetableStatus.Optimal);
        timetable.Of("s1").Count(s => s.Mode == SessionMode.Home).Should().Be(2);
        timetable.Of("s1").Count(s => s.Mode == SessionMode.Remote).Should().Be(1);
        timetable.Of("s1").Should().OnlyContain(s => (s.End - s.Start) == TimeSpan.FromMinutes(90));
    }

    [Fact]
    public void A_session_that_cannot_be_placed_is_listed_with_a_reason_not_dropped()
    {
        var scenario = new Week().Place("base", 0).Place("h1", 20)
            .Teacher("t1", "base", skills: ["special-education"])
            .Student("s1", "h1", home: 1, skills: ["medical"])
            .Build();

        var timetable = Solve.Checked(scenario);

        timetable.Sessions.Should().BeEmpty();
        timetable.Unassigned.Should().ContainSingle().Which.StudentId.Value.Should().Be("s1");
        timetable.Status.Should().Be(TimetableStatus.Infeasible);
    }
}
