using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Tests.Support;
using FluentAssertions;
using static ControlDropout.Scheduling.Tests.Support.Week;

namespace ControlDropout.Scheduling.Tests.Rules;

/// <summary>Rule 6: leave base inside the window, travel between sessions, be back before it closes, never overlap.</summary>
public class TeacherDayTests
{
    [Fact]
    public void Counts_the_drive_out_and_back_inside_the_teachers_window()
    {
        // An hour each way in a 08:00–12:00 window leaves exactly 09:00–11:00 for a two-hour session.
        var scenario = new Week().Place("base", 0).Place("h1", 60)
            .Days(Weekday.Mon)
            .Teacher("t1", "base", availability: [W(Weekday.Mon, "08:00", "12:00")])
            .Student("s1", "h1", minutes: 120, availability: [W(Weekday.Mon, "08:00", "17:00")])
            .Build();

        var timetable = Solve.Checked(scenario);

        timetable.Only("s1").Start.Should().Be(T("09:00"));
        var route = timetable.Routes.Should().ContainSingle().Subject;
        route.Depart.Should().Be(T("08:00"));
        route.Return.Should().Be(T("12:00"));
        route.TravelMinutes.Should().Be(120);
    }

    [Fact]
    public void Leaves_travel_time_between_two_visits_of_one_teacher()
    {
        var scenario = new Week().Place("base", 0).Place("h1", 20).Place("h2", 50)
            .Days(Weekday.Mon)
            .Teacher("t1", "base")
            .Student("s1", "h1", minutes: 60, availability: [W(Weekday.Mon, "09:00", "12:00")])
            .Student("s2", "h2", minutes: 60, availability: [W(Weekday.Mon, "09:00", "12:00")])
            .Build();

        var timetable = Solve.Checked(scenario);

        var ordered = timetable.Sessions.OrderBy(s => s.Start).ToList();
        ordered.Should().HaveCount(2);
        (ordered[1].Start - ordered[0].End).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMinutes(30));
        timetable.Metrics!.TotalTravelMinutes.Should().Be(100, "base → 20 → 50 → base is the shortest tour");
    }

    [Fact]
    public void Never_overlaps_two_sessions_of_one_teacher()
    {
        var scenario = new Week().Place("base", 0).Place("h1", 0)
            .Days(Weekday.Mon)
            .Teacher("t1", "base")
            .Student("s1", "h1", minutes: 60, availability: [W(Weekday.Mon, "09:00", "11:00")])
            .Student("s2", "h1", minutes: 60, availability: [W(Weekday.Mon, "09:00", "11:00")])
            .Build();

        var timetable = Solve.Checked(scenario);

        var ordered = timetable.Sessions.OrderBy(s => s.Start).ToList();
        ordered[0].End.Should().BeOnOrBefore(ordered[1].Start);
    }

    [Fact]
    public void Does_not_teach_on_a_day_without_a_window()
    {
        var scenario = new Week().Place("base", 0).Place("h1", 10)
            .Teacher("t1", "base", availability: Every("08:00", "18:00", Weekday.Thu))
            .Student("s1", "h1")
            .Build();

        Solve.Checked(scenario).Only("s1").Day.Should().Be(Weekday.Thu);
    }
}
