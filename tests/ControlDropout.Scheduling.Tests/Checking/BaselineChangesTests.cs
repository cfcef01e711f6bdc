using ControlDropout.Scheduling.Checking;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Timetables;
using FluentAssertions;
using static ControlDropout.Scheduling.Tests.Checking.HandMade;

namespace ControlDropout.Scheduling.Tests.Checking;

/// <summary>
/// Changes against the baseline, re-derived from the contract: a baseline session is kept when the
/// same student and mode keep the same day, start and team.
/// </summary>
public class BaselineChangesTests
{
    // Last week's timetable is the clean one; this week s1 moves an hour later on Monday.
    private static readonly Scenario WithBaseline = TwoChildren with { Baseline = [.. Clean] };
    private static readonly SessionPlacement Later = S("s1", SessionMode.Home, Weekday.Mon, "10:00", "11:00", "t1");
    private static readonly Timetable Moved = WithChanges([Later, Clean[1]], changes: 1, new SessionChange(new StudentId("s1"), SessionMode.Home, Clean[0], Later));

    [Fact]
    public void Accepts_a_change_counted_and_listed_as_the_contract_defines_it()
    {
        TimetableChecker.Check(WithBaseline, Moved).Should().BeEmpty();
        TimetableChecker.Check(WithBaseline, WithChanges(Clean, changes: 0)).Should().BeEmpty("every baseline session is kept");
    }

    [Fact]
    public void Catches_a_change_count_that_is_not_the_number_of_unkept_baseline_sessions()
    {
        var bad = Moved with { Metrics = Moved.Metrics! with { BaselineChanges = 0 } };

        TimetableChecker.Check(WithBaseline, bad).Should().Equal("metrics.baselineChanges: 0, but the sessions leave 1 of 2 baseline sessions unkept");
    }

    [Fact]
    public void Counts_a_new_team_as_a_change()
    {
        var scenario = WithBaseline with { Students = [.. WithBaseline.Students.Select(s => s with { RequiredSkills = [] })] };
        var otherTeacher = S("s1", SessionMode.Home, Weekday.Mon, "09:00", "10:00", "t2");
        var claimedKept = WithChanges([otherTeacher, Clean[1]], changes: 0, scenario: scenario);

        TimetableChecker.Check(scenario, claimedKept).Should().Equal(
            "metrics.baselineChanges: 0, but the sessions leave 1 of 2 baseline sessions unkept",
            "changes: 0 listed, but the sessions leave 1 baseline sessions unkept");
    }

    [Fact]
    public void Catches_a_listed_change_whose_was_is_a_kept_session()
    {
        var bad = Moved with { Changes = [new SessionChange(new StudentId("s2"), SessionMode.Remote, Clean[1], Clean[1])] };

        TimetableChecker.Check(WithBaseline, bad).Should().Equal("changes[0]: was (s2 remote Tue 08:00 t1) is not an unkept baseline session");
    }

    [Fact]
    public void Catches_a_listed_now_that_is_not_in_the_timetable()
    {
        var elsewhere = S("s1", SessionMode.Home, Weekday.Tue, "10:00", "11:00", "t1");
        var bad = Moved with { Changes = [new SessionChange(new StudentId("s1"), SessionMode.Home, Clean[0], elsewhere)] };

        TimetableChecker.Check(WithBaseline, bad).Should().Equal("changes[0]: now (s1 home Tue 10:00 t1) is not a home session of student 's1' in the timetable");
    }

    [Fact]
    public void Catches_a_missing_count_when_there_is_a_baseline_and_a_count_without_one()
    {
        TimetableChecker.Check(WithBaseline, Moved with { Metrics = Moved.Metrics! with { BaselineChanges = null } }).Should()
            .Equal("metrics.baselineChanges: missing, but the sessions leave 1 of 2 baseline sessions unkept");
        TimetableChecker.Check(TwoChildren, HandMade.Honest(Clean) with { Metrics = HandMade.Honest(Clean).Metrics! with { BaselineChanges = 3 } }).Should()
            .Equal("metrics.baselineChanges: 3 without a baseline");
    }

    private static Timetable WithChanges(SessionPlacement[] sessions, int changes, params SessionChange[] listed) =>
        WithChanges(sessions, changes, WithBaseline, listed);

    private static Timetable WithChanges(SessionPlacement[] sessions, int changes, Scenario scenario, params SessionChange[] listed)
    {
        var timetable = HandMade.Honest(scenario, sessions);
        return timetable with { Metrics = timetable.Metrics! with { BaselineChanges = changes }, Changes = [.. listed] };
    }
}
