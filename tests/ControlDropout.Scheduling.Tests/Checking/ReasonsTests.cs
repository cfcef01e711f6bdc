using ControlDropout.Scheduling.Checking;
using ControlDropout.Scheduling.Timetables;
using FluentAssertions;
using static ControlDropout.Scheduling.Tests.Checking.HandMade;

namespace ControlDropout.Scheduling.Tests.Checking;

/// <summary>An unassigned session's reason has a known code, and a shortage names a known resource and a positive number.</summary>
public class ReasonsTests
{
    private static readonly Timetable Partial = HandMade.Honest(TwoChildren, [Clean[0]]);

    private static Timetable Because(Reason reason) =>
        Partial with { Unassigned = [Partial.Unassigned[0] with { Reason = reason }] };

    [Fact]
    public void Accepts_a_capacity_reason_that_says_what_is_short()
    {
        var reason = new Reason(ReasonCodes.TeacherCapacityExhausted, "short", new Shortage(ShortageKinds.Skill, "special-education", 32));

        TimetableChecker.Check(TwoChildren, Because(reason)).Should().BeEmpty();
    }

    [Fact]
    public void Catches_an_unknown_reason_code()
    {
        TimetableChecker.Check(TwoChildren, Because(new Reason("TooHard", "?"))).Should()
            .Equal("unassigned: student 's2' has unknown reason code 'TooHard'");
    }

    [Fact]
    public void Catches_a_shortage_of_an_unknown_kind_or_of_nothing()
    {
        var money = new Reason(ReasonCodes.TeacherCapacityExhausted, "short", new Shortage("money", "budget", 3));
        var nothing = new Reason(ReasonCodes.TeacherCapacityExhausted, "short", new Shortage(ShortageKinds.Day, "Mon", 0));

        TimetableChecker.Check(TwoChildren, Because(money)).Should().Equal("unassigned[0]: shortage kind 'money' is not one of skill, area, day, team");
        TimetableChecker.Check(TwoChildren, Because(nothing)).Should().Equal("unassigned[0]: shortage of 'Mon' is 0 sessions a week; a shortage is more than 0");
    }
}
