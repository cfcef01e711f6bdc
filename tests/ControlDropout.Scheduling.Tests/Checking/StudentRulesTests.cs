using ControlDropout.Scheduling.Checking;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Tests.Support;
using FluentAssertions;
using static ControlDropout.Scheduling.Tests.Checking.HandMade;
using static ControlDropout.Scheduling.Tests.Support.Week;

namespace ControlDropout.Scheduling.Tests.Checking;

/// <summary>Rules 1–3 as the checker re-derives them: each hand-made timetable breaks exactly one.</summary>
public class StudentRulesTests
{
    [Fact]
    public void SessionsPerStudent_catches_a_session_neither_placed_nor_listed()
    {
        var bad = HandMade.Honest(TwoChildren, [Clean[0]], listMissing: false);

        TimetableChecker.Check(TwoChildren, bad).Should().Equal("rule 1: student 's2' needs 1 remote sessions; 0 placed and 0 unassigned");
        TimetableChecker.Check(TwoChildren, HandMade.Honest(TwoChildren, [Clean[0]])).Should().BeEmpty("listed as unassigned, it is accounted for");
    }

    [Fact]
    public void SessionsPerStudent_catches_a_session_of_the_wrong_length()
    {
        var bad = HandMade.Honest(S("s1", SessionMode.Home, Weekday.Mon, "09:00", "10:30", "t1"), Clean[1]);

        TimetableChecker.Check(TwoChildren, bad).Should().Equal("rule 1: sessions[0] (s1 home Mon 09:00) lasts 90 minutes, not 60");
    }

    [Fact]
    public void StudentWindows_catches_a_session_outside_the_childs_window()
    {
        var bad = HandMade.Honest(S("s1", SessionMode.Home, Weekday.Mon, "10:30", "11:30", "t1"), Clean[1]);

        TimetableChecker.Check(TwoChildren, bad).Should().Equal("rule 2: sessions[0] (s1 home Mon 10:30) is outside every window of student 's1' on Mon");
    }

    [Fact]
    public void DistinctDays_catches_two_sessions_of_one_child_on_one_day()
    {
        var scenario = new Week().Place("base", 0).Place("h1", 30).Days(Weekday.Mon, Weekday.Tue)
            .Teacher("t1", "base", availability: Every("08:00", "12:00", Weekday.Mon, Weekday.Tue))
            .Student("s1", "h1", home: 1, remote: 1, availability: Every("08:00", "12:00", Weekday.Mon, Weekday.Tue))
            .Build();
        var home = S("s1", SessionMode.Home, Weekday.Mon, "09:00", "10:00", "t1");

        var bad = HandMade.Honest(scenario, [home, S("s1", SessionMode.Remote, Weekday.Mon, "11:00", "12:00", "t1")]);
        var ok = HandMade.Honest(scenario, [home, S("s1", SessionMode.Remote, Weekday.Tue, "11:00", "12:00", "t1")]);

        TimetableChecker.Check(scenario, bad).Should().Equal("rule 3: student 's1' has 2 sessions on Mon");
        TimetableChecker.Check(scenario, ok).Should().BeEmpty();
    }
}
