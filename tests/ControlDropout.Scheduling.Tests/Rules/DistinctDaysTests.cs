using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Scheduling.Tests.Rules;

/// <summary>Rule 3: a student's sessions, of either mode, fall on pairwise different days.</summary>
public class DistinctDaysTests
{
    [Fact]
    public void Spreads_a_twice_a_week_child_over_two_days_even_when_one_trip_would_be_cheaper()
    {
        // One trip on Monday could hold both visits and halve the travel; the rule forbids it.
        var scenario = new Week().Place("base", 0).Place("h1", 60)
            .Teacher("t1", "base")
            .Student("s1", "h1", home: 2, minutes: 60)
            .Build();

        var timetable = Solve.Checked(scenario);

        timetable.Of("s1").Select(s => s.Day).Should().OnlyHaveUniqueItems().And.HaveCount(2);
    }

    [Fact]
    public void Puts_a_remote_session_on_a_different_day_from_the_home_visit()
    {
        var scenario = new Week().Place("base", 0).Place("h1", 30)
            .Days(Weekday.Mon, Weekday.Tue)
            .Teacher("t1", "base")
            .Student("s1", "h1", home: 1, remote: 1, minutes: 60)
            .Build();

        var timetable = Solve.Checked(scenario);

        timetable.Sessions.Should().HaveCount(2);
        timetable.Of("s1").Select(s => s.Day).Should().OnlyHaveUniqueItems();
    }
}
