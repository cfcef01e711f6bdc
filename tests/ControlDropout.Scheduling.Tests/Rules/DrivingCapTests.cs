using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Solving;
using ControlDropout.Scheduling.Tests.Support;
using ControlDropout.Scheduling.Timetables;
using FluentAssertions;
using static ControlDropout.Scheduling.Tests.Support.Week;

namespace ControlDropout.Scheduling.Tests.Rules;

/// <summary>Rule 10: a teacher's route drives at most their daily cap on each day.</summary>
public class DrivingCapTests
{
    [Fact]
    public void Splits_a_day_whose_driving_would_pass_the_cap()
    {
        // Homes on both sides of the base: one day for all three drives 80 minutes, the cap allows 40,
        // so the west homes share a day (0→-20→-15→0) and the east home has its own (0→20→0).
        var scenario = new Week().Place("base", 0).Place("h1", -20).Place("h2", 20).Place("h3", -15)
            .Days(Weekday.Mon, Weekday.Tue)
            .Teacher("t1", "base", maxTravel: 40)
            .Student("s1", "h1").Student("s2", "h2").Student("s3", "h3")
            .Build();

        var timetable = Solve.Checked(scenario);

        timetable.Unassigned.Should().BeEmpty();
        timetable.Routes.Should().HaveCount(2);
        Planning.OverCap(scenario, timetable).Should().BeEmpty();
        timetable.Metrics!.Teachers.Single().MaxDayTravelMinutes.Should().BeLessThanOrEqualTo(40);
    }

    [Fact]
    public void Hands_a_visit_to_another_teacher_when_the_nearer_one_has_driven_enough()
    {
        // Uncapped, t1 drives 0→20→25→0 (50 minutes) for both; capped at 45, t1 keeps s1 (40) and
        // t2, who may take one session, drives 60→25→60 (70).
        var week = new Week().Place("b1", 0).Place("b2", 60).Place("h1", 20).Place("h2", 25)
            .Days(Weekday.Mon)
            .Teacher("t2", "b2", max: 1)
            .Student("s1", "h1").Student("s2", "h2");

        var capped = week.Teacher("t1", "b1", maxTravel: 45).Build();
        var timetable = Solve.Checked(capped);

        timetable.Unassigned.Should().BeEmpty();
        Planning.OverCap(capped, timetable).Should().BeEmpty();
        timetable.Metrics!.TotalTravelMinutes.Should().Be(110);
        Solve.Checked(week.Teacher("t3", "b1").Build()).Metrics!.TotalTravelMinutes.Should().Be(50, "an uncapped colleague at t1's base takes both");
        timetable.Only("s2").TeacherIds.Should().Equal(new TeacherId("t2"));
    }

    [Fact]
    public void Says_the_driving_cap_when_it_keeps_every_teacher_away()
    {
        var scenario = new Week().Place("base", 0).Place("far", 40)
            .Teacher("t1", "base", maxTravel: 60)
            .Student("s1", "far")
            .Build();

        var timetable = Solve.Checked(scenario);

        var unassigned = timetable.Unassigned.Should().ContainSingle().Subject;
        unassigned.Reason.Code.Should().Be(ReasonCodes.NoQualifiedTeacherInReach);
        unassigned.Reason.Message.Should().Contain("driving cap");
        ReasonReplay.IsTrue(scenario, unassigned).Should().BeTrue();
    }

    [Fact]
    public void Rejects_pins_that_drive_past_the_cap()
    {
        var scenario = new Week().Place("base", 0).Place("h1", 20).Place("h2", 30)
            .Days(Weekday.Mon)
            .Teacher("t1", "base", maxTravel: 50)
            .Student("s1", "h1").Student("s2", "h2")
            .Pin("s1", SessionMode.Home, Weekday.Mon, "09:00", "10:00", "t1")
            .Pin("s2", SessionMode.Home, Weekday.Mon, "11:00", "12:00", "t1")
            .Build();

        // Not through Solve.Checked: the checker does not know rule 10 yet, so it takes this valid-looking
        // scenario for one the solver should have solved.
        var timetable = WeekSolver.Solve(scenario, new SolveOptions(0.5, 1, Workers: 1));

        timetable.Status.Should().Be(TimetableStatus.Invalid);
        timetable.Errors.Should().Contain(e => e.Message.Contains("daily cap"));
    }

    [Fact]
    public void Keeps_every_route_of_a_searched_week_within_the_cap()
    {
        var scenario = Planning.RoadWeek(teachers: 4, students: 20, seed: 3).Build();
        scenario = scenario with { Teachers = [.. scenario.Teachers.Select(t => t with { MaxTravelMinutesPerDay = 70 })] };

        var timetable = Solve.Checked(scenario, seconds: 0.5);

        timetable.Sessions.Should().NotBeEmpty();
        Planning.OverCap(scenario, timetable).Should().BeEmpty();
    }
}
