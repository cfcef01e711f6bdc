using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Tests.Support;
using ControlDropout.Scheduling.Timetables;
using FluentAssertions;
using static ControlDropout.Scheduling.Tests.Support.Week;

namespace ControlDropout.Scheduling.Tests.Rules;

/// <summary>Rule 9: every start is on the grid (pins keep theirs); travel and windows are unchanged.</summary>
public class StartGridTests
{
    [Fact]
    public void Starts_on_the_first_grid_time_inside_a_window_that_opens_off_the_grid()
    {
        var scenario = new Week().Place("base", 0).Place("h1", 10)
            .Days(Weekday.Mon)
            .Teacher("t1", "base")
            .Student("s1", "h1", minutes: 60, availability: [W(Weekday.Mon, "09:10", "10:40")])
            .Planning(startStep: 30)
            .Build();

        var session = Solve.Checked(scenario).Only("s1");

        session.Start.Should().Be(T("09:30"), "09:10 is not on a 30-minute grid; 09:30 is the only grid start that ends by 10:40");
    }

    [Fact]
    public void Leaves_out_a_session_whose_window_holds_no_grid_start_and_says_why()
    {
        // 09:10–11:05 holds a 110-minute session only from 09:10 to 09:15: no half hour in between.
        var week = new Week().Place("base", 0).Place("h1", 10)
            .Days(Weekday.Mon)
            .Teacher("t1", "base")
            .Student("s1", "h1", minutes: 110, availability: [W(Weekday.Mon, "09:10", "11:05")]);

        var onGrid = week.Planning(startStep: 30).Build();
        var timetable = Solve.Checked(onGrid);

        var unassigned = timetable.Unassigned.Should().ContainSingle().Subject;
        unassigned.Reason.Code.Should().Be(ReasonCodes.NoOverlappingWindow);
        unassigned.Reason.Message.Should().Contain("30-minute grid");
        ReasonReplay.IsTrue(onGrid, unassigned).Should().BeTrue();
        Solve.Checked(week.Planning(startStep: 5).Build()).Only("s1").Start.Should().BeOneOf(T("09:10"), T("09:15"));
    }

    [Fact]
    public void Keeps_a_pinned_start_off_the_grid_and_puts_the_others_on_it()
    {
        var scenario = new Week().Place("base", 0).Place("h1", 10).Place("h2", 17)
            .Days(Weekday.Mon)
            .Teacher("t1", "base", availability: [W(Weekday.Mon, "08:00", "13:00")])
            .Student("s1", "h1", minutes: 60)
            .Student("s2", "h2", minutes: 45)
            .Pin("s1", SessionMode.Home, Weekday.Mon, "09:34", "10:34", "t1")
            .Planning(startStep: 15)
            .Build();

        var timetable = Solve.Checked(scenario);

        timetable.Only("s1").Start.Should().Be(T("09:34"));
        Planning.OffGrid(scenario, timetable).Should().BeEmpty();
    }

    [Fact]
    public void Puts_a_team_visit_on_the_grid_for_both_members()
    {
        var scenario = new Week().Place("b1", 0).Place("b2", 13).Place("h1", 7)
            .Days(Weekday.Tue)
            .Teacher("t1", "b1")
            .Teacher("t2", "b2", skills: ["rehabilitation"])
            .Student("s1", "h1", minutes: 90, team: 2, skills: ["special-education", "rehabilitation"], availability: [W(Weekday.Tue, "08:03", "12:00")])
            .Planning(startStep: 10)
            .Build();

        var session = Solve.Checked(scenario).Only("s1");

        session.TeacherIds.Should().HaveCount(2);
        (session.Start.Minute % 10).Should().Be(0);
    }

    [Fact]
    public void Does_not_keep_a_baseline_start_that_is_off_the_grid()
    {
        var scenario = new Week().Place("base", 0).Place("h1", 10)
            .Days(Weekday.Mon)
            .Teacher("t1", "base")
            .Student("s1", "h1", minutes: 60)
            .Baseline("s1", SessionMode.Home, Weekday.Mon, "09:34", "10:34", "t1")
            .Planning(startStep: 10, changePenalty: 60)
            .Build();

        var timetable = Solve.Checked(scenario);

        (timetable.Only("s1").Start.Minute % 10).Should().Be(0);
        timetable.Metrics!.BaselineChanges.Should().Be(1);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(30)]
    public void Puts_every_start_of_a_searched_week_on_the_grid(int step)
    {
        // 20 sessions: more than CP-SAT solves whole, so insertion, ruin and recreate and the
        // neighbourhood repacker all choose starts.
        var scenario = Planning.RoadWeek(teachers: 3, students: 20, seed: 7).Planning(startStep: step).Build();

        var timetable = Solve.Checked(scenario, seconds: 0.5);

        timetable.Sessions.Should().NotBeEmpty();
        Planning.OffGrid(scenario, timetable).Should().BeEmpty();
    }
}
