using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Tests.Support;
using ControlDropout.Scheduling.Timetables;
using FluentAssertions;
using static ControlDropout.Scheduling.Tests.Support.Week;

namespace ControlDropout.Scheduling.Tests.Rules;

/// <summary>Rule 8: every pinned session appears unchanged.</summary>
public class PinnedTests
{
    [Fact]
    public void Keeps_a_pinned_session_exactly_even_when_another_teacher_is_nearer()
    {
        var scenario = new Week().Place("near", 5).Place("far", 60).Place("h1", 0)
            .Teacher("nearby", "near")
            .Teacher("far-away", "far")
            .Student("s1", "h1", minutes: 60)
            .Pin("s1", SessionMode.Home, Weekday.Thu, "14:10", "15:10", "far-away")
            .Build();

        var session = Solve.Checked(scenario).Only("s1");

        session.Day.Should().Be(Weekday.Thu);
        session.Start.Should().Be(T("14:10"));
        session.TeacherIds.Should().Equal(new TeacherId("far-away"));
    }

    [Fact]
    public void Plans_around_pinned_sessions()
    {
        var scenario = new Week().Place("base", 0).Place("h1", 10).Place("h2", 10)
            .Days(Weekday.Mon)
            .Teacher("t1", "base", availability: [W(Weekday.Mon, "08:00", "12:00")])
            .Student("s1", "h1", minutes: 60)
            .Student("s2", "h2", minutes: 60)
            .Pin("s1", SessionMode.Home, Weekday.Mon, "09:00", "10:00", "t1")
            .Build();

        var timetable = Solve.Checked(scenario);

        timetable.Sessions.Should().HaveCount(2);
        var other = timetable.Only("s2");
        (other.Start >= T("10:00") || other.End <= T("09:00")).Should().BeTrue();
    }

    [Fact]
    public void A_pinned_session_outside_the_childs_window_makes_the_scenario_invalid()
    {
        var scenario = new Week().Place("base", 0).Place("h1", 10)
            .Teacher("t1", "base")
            .Student("s1", "h1", minutes: 60, availability: [W(Weekday.Mon, "09:00", "12:00")])
            .Pin("s1", SessionMode.Home, Weekday.Mon, "15:00", "16:00", "t1")
            .Build();

        var timetable = Scheduling.Solving.WeekSolver.Solve(scenario, new SolveOptions(0.2, 1, 1));

        timetable.Status.Should().Be(TimetableStatus.Invalid);
        timetable.Errors.Should().ContainSingle().Which.ToString()
            .Should().Be("pinned[0].start: 15:00–16:00 on Mon is outside every window of student 's1'");
    }
}
