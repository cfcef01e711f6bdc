using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Scheduling.Tests.Rules;

/// <summary>Rule 7: at most maxSessionsPerWeek sessions; at most maxAwayMinutesPerDay from departure to return.</summary>
public class LoadTests
{
    [Fact]
    public void Hands_a_session_to_a_farther_teacher_when_the_nearest_is_full()
    {
        // Without the limit the nearby teacher would take both children in one 24-minute round.
        var scenario = new Week().Place("near", 0).Place("far", 100).Place("h1", 10).Place("h2", 12)
            .Teacher("nearby", "near", max: 1)
            .Teacher("far-away", "far", max: 1)
            .Student("s1", "h1")
            .Student("s2", "h2")
            .Build();

        var timetable = Solve.Checked(scenario);

        timetable.Sessions.Should().HaveCount(2);
        timetable.Sessions.Count(s => s.TeacherIds.Contains(new TeacherId("nearby"))).Should().Be(1);
        timetable.Sessions.Count(s => s.TeacherIds.Contains(new TeacherId("far-away"))).Should().Be(1);
        timetable.Metrics!.TotalTravelMinutes.Should().Be(20 + 176, "the nearby teacher keeps the nearer child");
    }

    [Fact]
    public void Splits_visits_over_days_when_one_day_would_keep_the_teacher_away_too_long()
    {
        // Both on one Monday trip: 60 + 60 + 0 + 60 + 60 = 240 minutes away, over the 200 allowed.
        var scenario = new Week().Place("base", 0).Place("h1", 60).Place("h2", 60)
            .Days(Weekday.Mon, Weekday.Tue)
            .Teacher("t1", "base", maxAway: 200)
            .Student("s1", "h1", minutes: 60)
            .Student("s2", "h2", minutes: 60)
            .Build();

        var timetable = Solve.Checked(scenario);

        timetable.Sessions.Should().HaveCount(2);
        timetable.Sessions.Select(s => s.Day).Should().OnlyHaveUniqueItems();
        timetable.Routes.Should().OnlyContain(r => (r.Return - r.Depart) <= TimeSpan.FromMinutes(200));
    }
}
