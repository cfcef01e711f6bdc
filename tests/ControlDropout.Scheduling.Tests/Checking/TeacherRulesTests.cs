using ControlDropout.Scheduling.Checking;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Tests.Support;
using FluentAssertions;
using static ControlDropout.Scheduling.Tests.Checking.HandMade;
using static ControlDropout.Scheduling.Tests.Support.Week;

namespace ControlDropout.Scheduling.Tests.Checking;

/// <summary>Rules 6, 7 and 10 as the checker re-derives them from each teacher's day.</summary>
public class TeacherRulesTests
{
    [Fact]
    public void TeacherDays_catches_too_little_travel_time_between_two_sessions()
    {
        // Back from s1's home (30 minutes away) at 10:30 at the earliest, not 10:10.
        var bad = HandMade.Honest(Clean[0], S("s2", SessionMode.Remote, Weekday.Mon, "10:10", "11:10", "t1"));

        TimetableChecker.Check(TwoChildren, bad).Should()
            .Equal("rule 6: teacher 't1' on Mon cannot get from 's1' (ends 10:00) to 's2' (starts 10:10): 30 minutes of travel");
    }

    [Fact]
    public void TeacherDays_catches_a_teacher_back_after_the_window_closes()
    {
        var scenario = TwoChildren.WithTeacher("t1", t => t with { Availability = [W(Weekday.Mon, "08:00", "10:15"), W(Weekday.Tue, "08:00", "12:00")] });

        TimetableChecker.Check(scenario, HandMade.Honest(scenario, Clean)).Should()
            .Equal("rule 6: teacher 't1' is back at base at 10:30 on Mon, after the window closes at 10:15");
    }

    [Fact]
    public void Load_catches_a_teacher_over_the_weekly_load()
    {
        var scenario = TwoChildren.WithTeacher("t1", t => t with { MaxSessionsPerWeek = 1 });

        TimetableChecker.Check(scenario, HandMade.Honest(scenario, Clean)).Should()
            .Equal("rule 7: teacher 't1' has 2 sessions, more than maxSessionsPerWeek 1");
    }

    [Fact]
    public void Load_catches_a_teacher_away_longer_than_allowed()
    {
        // Mon: leaves 08:30, back 10:30.
        var scenario = TwoChildren.WithTeacher("t1", t => t with { MaxAwayMinutesPerDay = 100 });

        TimetableChecker.Check(scenario, HandMade.Honest(scenario, Clean)).Should()
            .Equal("rule 7: teacher 't1' is away 120 minutes on Mon, more than maxAwayMinutesPerDay 100");
    }

    [Fact]
    public void DrivingCap_catches_a_route_of_190_minutes_against_a_cap_of_180()
    {
        var far = Capped(homeAt: 95, cap: 180);
        var atTheCap = Capped(homeAt: 90, cap: 180);
        var session = S("s1", SessionMode.Home, Weekday.Mon, "09:00", "10:00", "t1");

        TimetableChecker.Check(far, HandMade.Honest(far, [session])).Should()
            .Equal("rule 10: teacher 't1' drives 190 minutes on Mon, more than maxTravelMinutesPerDay 180");
        TimetableChecker.Check(atTheCap, HandMade.Honest(atTheCap, [session])).Should().BeEmpty("180 minutes is within a cap of 180");
        TimetableChecker.Check(far.WithTeacher("t1", t => t with { MaxTravelMinutesPerDay = null }), HandMade.Honest(far, [session]))
            .Should().BeEmpty("without a cap any drive is allowed");
    }

    [Fact]
    public void DrivingCap_sums_every_leg_of_the_day_not_only_the_farthest()
    {
        // base → h1 (50) → h2 (50, a detour off the road) → base (50): 150 over a cap of 120, though each round trip alone is 100.
        var scenario = new Week().Place("base", 0).Place("h1", 50).Place("h2", 50).Days(Weekday.Mon)
            .Distance((a, b) => a == b ? 50 : Math.Abs(a - b))
            .Teacher("t1", "base", availability: Every("06:00", "18:00", Weekday.Mon))
            .Student("s1", "h1", availability: Every("06:00", "18:00", Weekday.Mon))
            .Student("s2", "h2", availability: Every("06:00", "18:00", Weekday.Mon))
            .Build()
            .WithTeacher("t1", t => t with { MaxTravelMinutesPerDay = 120 });
        var sessions = new[] { S("s1", SessionMode.Home, Weekday.Mon, "09:00", "10:00", "t1"), S("s2", SessionMode.Home, Weekday.Mon, "11:00", "12:00", "t1") };

        TimetableChecker.Check(scenario, HandMade.Honest(scenario, sessions)).Should()
            .Equal("rule 10: teacher 't1' drives 150 minutes on Mon, more than maxTravelMinutesPerDay 120");
    }

    private static Scenario Capped(int homeAt, int cap) =>
        new Week().Place("base", 0).Place("h1", homeAt).Days(Weekday.Mon)
            .Teacher("t1", "base", availability: Every("06:00", "18:00", Weekday.Mon))
            .Student("s1", "h1", availability: Every("06:00", "18:00", Weekday.Mon))
            .Build()
            .WithTeacher("t1", t => t with { MaxTravelMinutesPerDay = cap });
}
