using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Tests.Support;
using ControlDropout.Scheduling.Timetables;
using FluentAssertions;
using static ControlDropout.Scheduling.Tests.Support.Week;

namespace ControlDropout.Scheduling.Tests.Solving;

/// <summary>The objective in the contract's order: coverage, travel, stability, preference.</summary>
public class ObjectiveTests
{
    [Fact]
    public void Orders_a_days_visits_along_the_road_and_proves_it_optimal()
    {
        // Listed farthest first; the shortest tour runs along the road: 0 → 10 → 20 → 30 → 0 or back.
        var scenario = new Week().Place("base", 0).Place("h1", 10).Place("h2", 20).Place("h3", 30)
            .Days(Weekday.Mon)
            .Teacher("t1", "base")
            .Student("s3", "h3", minutes: 60, availability: [W(Weekday.Mon, "08:00", "17:00")])
            .Student("s1", "h1", minutes: 60, availability: [W(Weekday.Mon, "08:00", "17:00")])
            .Student("s2", "h2", minutes: 60, availability: [W(Weekday.Mon, "08:00", "17:00")])
            .Build();

        var timetable = Solve.Checked(scenario);

        timetable.Metrics!.TotalTravelMinutes.Should().Be(60);
        timetable.Status.Should().Be(TimetableStatus.Optimal);
        var order = string.Join(",", timetable.Sessions.OrderBy(s => s.Start).Select(s => s.StudentId.Value));
        order.Should().BeOneOf(["s1,s2,s3", "s3,s2,s1"], "either direction along the road is shortest; zig-zagging is not");
    }

    [Fact]
    public void Covers_a_far_child_however_much_travel_it_costs()
    {
        var scenario = new Week().Place("base", 0).Place("near", 5).Place("far", 200)
            .Teacher("t1", "base", availability: Every("06:00", "20:00"))
            .Student("s1", "near")
            .Student("s2", "far")
            .Build();

        var timetable = Solve.Checked(scenario);

        timetable.Metrics!.StudentsCovered.Should().Be(2);
    }

    [Fact]
    public void Keeps_the_baseline_when_travel_is_equal()
    {
        var scenario = new Week().Place("base", 0).Place("h1", 10)
            .Teacher("t1", "base")
            .Teacher("t2", "base")
            .Student("s1", "h1", minutes: 60)
            .Baseline("s1", SessionMode.Home, Weekday.Thu, "14:20", "15:20", "t2")
            .Build();

        var session = Solve.Checked(scenario).Only("s1");

        session.Day.Should().Be(Weekday.Thu);
        session.Start.Should().Be(T("14:20"));
        session.TeacherIds.Should().Equal(new TeacherId("t2"));
    }

    [Fact]
    public void Prefers_travel_over_the_baseline()
    {
        // The baseline teacher has moved far away; keeping them would cost 180 more minutes.
        var scenario = new Week().Place("base", 0).Place("far", 100).Place("h1", 10)
            .Teacher("t1", "base")
            .Teacher("t2", "far")
            .Student("s1", "h1", minutes: 60)
            .Baseline("s1", SessionMode.Home, Weekday.Thu, "14:20", "15:20", "t2")
            .Build();

        Solve.Checked(scenario).Only("s1").TeacherIds.Should().Equal(new TeacherId("t1"));
    }

    [Fact]
    public void Chooses_the_preferred_teacher_when_travel_is_equal()
    {
        var scenario = new Week().Place("base", 0).Place("h1", 10)
            .Teacher("t1", "base")
            .Teacher("t2", "base")
            .Student("s1", "h1", preferred: ["t2"])
            .Build();

        Solve.Checked(scenario).Only("s1").TeacherIds.Should().Equal(new TeacherId("t2"));
    }
}
