using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Tests.Support;
using FluentAssertions;
using static ControlDropout.Scheduling.Tests.Support.Week;

namespace ControlDropout.Scheduling.Tests.Rules;

/// <summary>Rule 5: a home session happens at the child's place; a remote one at each team member's own base.</summary>
public class PlaceTests
{
    [Fact]
    public void A_remote_session_costs_no_travel()
    {
        var scenario = new Week().Place("base", 0).Place("h1", 90)
            .Teacher("t1", "base")
            .Student("s1", "h1", home: 0, remote: 1)
            .Build();

        var timetable = Solve.Checked(scenario);

        timetable.Metrics!.TotalTravelMinutes.Should().Be(0);
        timetable.Routes.Should().ContainSingle().Which.TravelMinutes.Should().Be(0);
    }

    [Fact]
    public void A_home_visit_costs_the_round_trip_to_the_childs_place()
    {
        var scenario = new Week().Place("base", 0).Place("h1", 45)
            .Teacher("t1", "base")
            .Student("s1", "h1")
            .Build();

        Solve.Checked(scenario).Metrics!.TotalTravelMinutes.Should().Be(90);
    }

    [Fact]
    public void The_teacher_goes_back_to_base_between_a_home_visit_and_a_remote_session()
    {
        // Both children only have Monday late morning: the remote session must wait for the drive back.
        var scenario = new Week().Place("base", 0).Place("h1", 40).Place("h2", 70)
            .Days(Weekday.Mon)
            .Teacher("t1", "base", availability: [W(Weekday.Mon, "08:00", "18:00")])
            .Student("home-child", "h1", minutes: 60, availability: [W(Weekday.Mon, "09:00", "10:00")])
            .Student("remote-child", "h2", home: 0, remote: 1, minutes: 60, availability: [W(Weekday.Mon, "10:00", "12:00")])
            .Build();

        var timetable = Solve.Checked(scenario);

        var remote = timetable.Only("remote-child");
        remote.Start.Should().BeOnOrAfter(T("10:40"), "the teacher needs 40 minutes to get back to base after 10:00");
        timetable.Metrics!.TotalTravelMinutes.Should().Be(80);
    }
}
