using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Solving;
using ControlDropout.Scheduling.Tests.Support;
using ControlDropout.Scheduling.Timetables;
using FluentAssertions;
using static ControlDropout.Scheduling.Tests.Support.Week;

namespace ControlDropout.Scheduling.Tests.Solving.Reasons;

/// <summary>
/// A capacity reason names what is short and by how much, proven by counting before the search:
/// a tiny deterministic limit suffices, and the CP-SAT capacity model is not needed.
/// </summary>
public class ShortageTests
{
    /// <summary>Far too little for a search to do better than construction, and far too little for CP-SAT to matter.</summary>
    private const double TinyLimit = 0.02;

    private static List<UnassignedSession> Unassigned(Scenario scenario, int expected, double seconds = TinyLimit)
    {
        var timetable = Solve.Checked(scenario, seconds);
        timetable.Unassigned.Should().HaveCount(expected);
        foreach (var u in timetable.Unassigned)
        {
            ReasonReplay.IsTrue(scenario, u).Should().BeTrue($"the reason {u.Reason.Code} must be true of the scenario");
        }
        return [.. timetable.Unassigned];
    }

    [Fact]
    public void Twelve_children_needing_special_education_and_room_for_eight_leave_four_out_each_naming_the_skill()
    {
        var week = new Week().Place("base", 0)
            .Teacher("t1", "base", max: 4)
            .Teacher("t2", "base", max: 4)
            .Teacher("t3", "base", skills: ["rehabilitation"]);
        for (var i = 1; i <= 12; i++)
        {
            week.Place($"h{i}", i).Student($"s{i}", $"h{i}");
        }

        var unassigned = Unassigned(week.Build(), expected: 4);

        unassigned.Should().OnlyContain(u => u.Reason.Code == ReasonCodes.TeacherCapacityExhausted
            && u.Reason.Shortage == new Shortage(ShortageKinds.Skill, "special-education", 4));
        unassigned.Should().OnlyContain(u => u.Reason.Message.Contains("short by 4 special-education sessions a week", StringComparison.Ordinal)
            && u.Reason.Message.Contains("at most 8 of the 12", StringComparison.Ordinal)
            && u.Reason.Message.Contains("[t1, t2]", StringComparison.Ordinal));
    }

    [Fact]
    public void A_far_area_only_two_part_time_teachers_reach_is_named()
    {
        // The town teachers' four-hour day cannot hold a 200-minute drive each way; two part-timers live near the far homes.
        var week = new Week().Place("town", 0).Place("near-far", 195).Place("far", 200)
            .Teacher("t1", "town", availability: Every("08:00", "12:00"))
            .Teacher("t2", "town", availability: Every("08:00", "12:00"))
            .Teacher("p1", "near-far", max: 2, availability: Every("08:00", "12:00"))
            .Teacher("p2", "near-far", max: 2, availability: Every("08:00", "12:00"))
            .Place("h1", 10).Student("s1", "h1")
            .Place("h2", 20).Student("s2", "h2");
        for (var i = 1; i <= 6; i++)
        {
            week.Student($"f{i}", "far");
        }

        var unassigned = Unassigned(week.Build(), expected: 2);

        unassigned.Should().OnlyContain(u => u.Reason.Code == ReasonCodes.TeacherCapacityExhausted && u.StudentId.Value.StartsWith('f')
            && u.Reason.Shortage == new Shortage(ShortageKinds.Area, "far", 2));
        unassigned.Should().OnlyContain(u => u.Reason.Message.Contains("the only teachers who can reach far", StringComparison.Ordinal)
            && u.Reason.Message.Contains("short by 2 sessions in that area a week", StringComparison.Ordinal)
            && u.Reason.Message.Contains("[p1, p2]", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_person_teams_short_of_a_second_member_are_named()
    {
        // Three teachers, two sessions each, give six member slots; four two-person sessions need eight.
        var week = new Week().Place("base", 0)
            .Teacher("t1", "base", max: 2)
            .Teacher("t2", "base", max: 2)
            .Teacher("t3", "base", max: 2);
        for (var i = 1; i <= 4; i++)
        {
            week.Place($"h{i}", 10 * i).Student($"s{i}", $"h{i}", team: 2);
        }

        // Construction pairs t1 with t2 twice; the whole-week solve of a small week finds the third team.
        var unassigned = Unassigned(week.Build(), expected: 1, seconds: Solve.DefaultDeterministicSeconds);

        unassigned[0].Reason.Code.Should().Be(ReasonCodes.TeacherCapacityExhausted);
        unassigned[0].Reason.Shortage.Should().Be(new Shortage(ShortageKinds.Team, "two-person teams", 1));
        unassigned[0].Reason.Message.Should().Contain("counted as team members").And.Contain("short by 1 two-person-team session a week");
    }

    [Fact]
    public void Children_free_on_one_day_only_are_short_of_teachers_on_that_day()
    {
        // Two four-hour sessions fill a teacher's day: two teachers take four on Wednesday, and five children can only do Wednesday.
        var week = new Week().Place("base", 0)
            .Teacher("t1", "base", availability: Every("08:00", "17:00"))
            .Teacher("t2", "base", availability: Every("08:00", "17:00"));
        for (var i = 1; i <= 5; i++)
        {
            week.Place($"h{i}", i).Student($"s{i}", $"h{i}", minutes: 240, availability: [W(Weekday.Wed, "08:00", "17:00")]);
        }
        week.Place("h9", 5).Student("s9", "h9", minutes: 240);

        var unassigned = Unassigned(week.Build(), expected: 1);

        unassigned[0].Reason.Code.Should().Be(ReasonCodes.TeacherCapacityExhausted);
        unassigned[0].StudentId.Value.Should().NotBe("s9");
        unassigned[0].Reason.Shortage.Should().Be(new Shortage(ShortageKinds.Day, "Wed", 1));
        unassigned[0].Reason.Message.Should().Contain("free on Wed").And.Contain("short by 1 session on Wed a week");
    }

    [Fact]
    public void A_search_short_of_the_count_says_how_much_is_proven_and_stays_time_limit_reached()
    {
        // Nothing placed: the count proves that four of the twelve cannot be placed, not which.
        var week = new Week().Place("base", 0)
            .Teacher("t1", "base", max: 4)
            .Teacher("t2", "base", max: 4);
        for (var i = 1; i <= 12; i++)
        {
            week.Place($"h{i}", i).Student($"s{i}", $"h{i}");
        }
        var problem = new Problem(week.Build());
        var ctx = new SearchContext(problem, new SearchBudget(1, deterministic: true), workers: 1, seed: 1);

        var reasons = global::ControlDropout.Scheduling.Solving.Reasons.Explain(ctx, new WeekState(problem, ctx), CountingBounds.For(ctx), CapacityProof.NotNeeded);

        reasons.Should().HaveCount(12).And.OnlyContain(u => u.Reason.Code == ReasonCodes.TimeLimitReached);
        reasons[0].Reason.Shortage.Should().Be(new Shortage(ShortageKinds.Skill, "special-education", 4), "the count is true whatever the search did");
        reasons[0].Reason.Message.Should().Contain("at least 4 of these 12 cannot be placed by any timetable").And.Contain("short by 4 special-education sessions a week");
    }

    [Fact]
    public void When_the_count_is_not_enough_the_capacity_model_proves_it_before_the_search()
    {
        // Homes 70 minutes from the base and from each other; a 290-minute day. Counting the cheapest
        // drive once allows three 30-minute visits; the capacity model charges every stop its way in
        // and out and allows two, which is what fits (base, two homes, base: 270 minutes).
        var scenario = new Week().Place("base", 0).Place("h1", 1).Place("h2", 2).Place("h3", 3)
            .Distance((a, b) => a == b ? 0 : 70)
            .Teacher("t1", "base", availability: [W(Weekday.Mon, "08:00", "12:50")])
            .Student("s1", "h1", minutes: 30)
            .Student("s2", "h2", minutes: 30)
            .Student("s3", "h3", minutes: 30)
            .Build();
        var problem = new Problem(scenario);
        var ctx = new SearchContext(problem, new SearchBudget(TinyLimit, deterministic: true), workers: 1, seed: 1);
        var counting = CountingBounds.For(ctx);
        var constructed = new WeekState(problem, ctx);

        var proof = CapacityProof.Start(ctx, constructed, counting, limitSeconds: TinyLimit);

        counting.MaxPlaceable.Should().Be(3, "the count alone cannot see the drive between homes");
        proof.RunsAlongside.Should().BeFalse("a deterministic run proves before the search, reading no clock");
        proof.Result()!.Bound.Should().Be(2);
        var unassigned = Unassigned(scenario, expected: 1);
        unassigned[0].Reason.Code.Should().Be(ReasonCodes.TeacherCapacityExhausted);
        unassigned[0].Reason.Message.Should().Contain("no timetable places more than 2 of the 3 sessions");
        unassigned[0].Reason.Shortage.Should().BeNull("no count proves a shortage here");
    }
}
