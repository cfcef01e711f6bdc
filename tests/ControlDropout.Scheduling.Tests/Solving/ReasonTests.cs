using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Solving;
using ControlDropout.Scheduling.Tests.Support;
using ControlDropout.Scheduling.Timetables;
using FluentAssertions;
using static ControlDropout.Scheduling.Tests.Support.Week;

namespace ControlDropout.Scheduling.Tests.Solving;

/// <summary>Every reason code is produced by some scenario and is true of it.</summary>
public class ReasonTests
{
    private static UnassignedSession OnlyUnassigned(Scenario scenario)
    {
        var timetable = Solve.Checked(scenario);
        var unassigned = timetable.Unassigned.Should().ContainSingle().Subject;
        ReasonReplay.IsTrue(scenario, unassigned).Should().BeTrue($"the reason {unassigned.Reason.Code} must be true of the scenario");
        return unassigned;
    }

    [Fact]
    public void No_qualified_teacher_when_nobody_has_the_skill()
    {
        var scenario = new Week().Place("base", 0).Place("h1", 10)
            .Teacher("t1", "base", skills: ["special-education"])
            .Student("s1", "h1", skills: ["medical"])
            .Build();

        OnlyUnassigned(scenario).Reason.Code.Should().Be(ReasonCodes.NoQualifiedTeacher);
    }

    [Fact]
    public void Remote_not_possible_when_the_qualified_teachers_cannot_teach_online()
    {
        var scenario = new Week().Place("base", 0).Place("h1", 10)
            .Teacher("t1", "base", remote: false)
            .Student("s1", "h1", home: 0, remote: 1)
            .Build();

        OnlyUnassigned(scenario).Reason.Code.Should().Be(ReasonCodes.RemoteNotPossible);
    }

    [Fact]
    public void No_overlapping_window_when_child_and_teacher_are_never_free_together()
    {
        var scenario = new Week().Place("base", 0).Place("h1", 10)
            .Teacher("t1", "base", availability: Every("08:00", "18:00", Weekday.Tue))
            .Student("s1", "h1", availability: [W(Weekday.Mon, "09:00", "12:00")])
            .Build();

        OnlyUnassigned(scenario).Reason.Code.Should().Be(ReasonCodes.NoOverlappingWindow);
    }

    [Fact]
    public void No_qualified_teacher_in_reach_when_the_drive_does_not_fit_the_day()
    {
        // 100 minutes each way around a 60-minute session does not fit a four-hour window.
        var scenario = new Week().Place("base", 0).Place("h1", 100)
            .Teacher("t1", "base", availability: Every("08:00", "12:00"))
            .Student("s1", "h1", minutes: 60, availability: Every("08:00", "12:00"))
            .Build();

        OnlyUnassigned(scenario).Reason.Code.Should().Be(ReasonCodes.NoQualifiedTeacherInReach);
    }

    [Fact]
    public void Too_few_distinct_days_when_a_twice_a_week_child_is_free_on_one_day()
    {
        var scenario = new Week().Place("base", 0).Place("h1", 10)
            .Teacher("t1", "base")
            .Student("s1", "h1", home: 2, availability: [W(Weekday.Wed, "09:00", "17:00")])
            .Build();

        var unassigned = OnlyUnassigned(scenario);

        unassigned.Reason.Code.Should().Be(ReasonCodes.TooFewDistinctDays);
        unassigned.Reason.Message.Should().Be("student 's1' needs 2 sessions on different days, but a session can be placed on only 1 day(s) of the week");
    }

    [Fact]
    public void Teacher_capacity_exhausted_names_the_children_and_teachers_in_the_conflict()
    {
        var scenario = new Week().Place("base", 0).Place("h1", 10).Place("h2", 20).Place("h3", 30)
            .Teacher("t1", "base", max: 1)
            .Teacher("t2", "base", skills: ["rehabilitation"])
            .Student("s1", "h1")
            .Student("s2", "h2")
            .Student("s3", "h3", skills: ["rehabilitation"])
            .Build();

        var unassigned = OnlyUnassigned(scenario);

        unassigned.Reason.Code.Should().Be(ReasonCodes.TeacherCapacityExhausted);
        unassigned.Reason.Message.Should().Contain("[s1, s2]").And.Contain("[t1]").And.NotContain("s3");
    }

    [Fact]
    public void Time_limit_reached_when_a_placeable_session_is_left_out_without_proof()
    {
        // A week in which the search placed nothing: the capacity model shows both could be placed.
        var scenario = new Week().Place("base", 0).Place("h1", 10).Place("h2", 20)
            .Teacher("t1", "base")
            .Student("s1", "h1")
            .Student("s2", "h2")
            .Build();
        var problem = new Problem(scenario);
        var ctx = new SearchContext(problem, new SearchBudget(1, deterministic: true), workers: 1, seed: 1);

        var empty = new WeekState(problem, ctx);
        var counting = CountingBounds.For(ctx);

        var reasons = global::ControlDropout.Scheduling.Solving.Reasons.Explain(ctx, empty, counting, CapacityProof.Start(ctx, empty, counting, limitSeconds: 1));

        reasons.Should().HaveCount(2).And.OnlyContain(u => u.Reason.Code == ReasonCodes.TimeLimitReached);
        reasons[0].Reason.Message.Should().Contain("allow up to 2 of 2 sessions and the timetable places 0");
    }
}
