using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Tests.Support;
using FluentAssertions;
using static ControlDropout.Scheduling.Tests.Support.Week;

namespace ControlDropout.Scheduling.Tests.Rules;

/// <summary>Rule 2: each session lies entirely inside one of the student's windows for its day.</summary>
public class StudentWindowTests
{
    [Fact]
    public void Rejects_a_session_outside_the_childs_window()
    {
        // The teacher is free all day; a solver that ignored the child's afternoon window would start at 08:xx.
        var scenario = new Week().Place("base", 0).Place("h1", 10)
            .Teacher("t1", "base")
            .Student("s1", "h1", minutes: 60, availability: [W(Weekday.Wed, "14:00", "15:30")])
            .Build();

        var session = Solve.Checked(scenario).Only("s1");

        session.Day.Should().Be(Weekday.Wed);
        session.Start.Should().BeOnOrAfter(T("14:00"));
        session.End.Should().BeOnOrBefore(T("15:30"));
    }

    [Fact]
    public void Does_not_straddle_two_windows_of_one_day()
    {
        // 09:00–10:00 and 10:00–11:00 are two windows; a 90-minute session fits in neither.
        var scenario = new Week().Place("base", 0).Place("h1", 10)
            .Teacher("t1", "base")
            .Student("s1", "h1", minutes: 90, availability: [W(Weekday.Mon, "09:00", "10:00"), W(Weekday.Mon, "10:00", "11:00"), W(Weekday.Tue, "13:00", "15:00")])
            .Build();

        var session = Solve.Checked(scenario).Only("s1");

        session.Day.Should().Be(Weekday.Tue);
    }
}
