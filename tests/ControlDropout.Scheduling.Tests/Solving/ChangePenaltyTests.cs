using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Tests.Support;
using ControlDropout.Scheduling.Timetables;
using FluentAssertions;
using static ControlDropout.Scheduling.Tests.Support.Week;

namespace ControlDropout.Scheduling.Tests.Solving;

/// <summary>
/// With a change penalty p, travel and stability merge: a baseline session moves only when that saves
/// more than p minutes of driving (contract, "What is optimised", level 3).
/// </summary>
public class ChangePenaltyTests
{
    // t1 drives 10 + 10 to h1, t2 drives 40 + 40: moving s1 from t2 to t1 saves 60 minutes.
    private static Week FamiliarTeacherFarAway(int penalty) => new Week().Place("b1", 0).Place("b2", 50).Place("h1", 10)
        .Days(Weekday.Mon)
        .Teacher("t1", "b1")
        .Teacher("t2", "b2")
        .Student("s1", "h1")
        .Baseline("s1", SessionMode.Home, Weekday.Mon, "10:00", "11:00", "t2")
        .Planning(changePenalty: penalty);

    [Fact]
    public void Keeps_the_familiar_teacher_when_the_change_costs_more_than_the_driving_it_saves()
    {
        var timetable = Solve.Checked(FamiliarTeacherFarAway(penalty: 90).Build());

        timetable.Only("s1").TeacherIds.Should().Equal(new TeacherId("t2"));
        timetable.Only("s1").Start.Should().Be(T("10:00"));
        timetable.Metrics!.BaselineChanges.Should().Be(0);
        timetable.Changes.Should().BeEmpty();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    public void Moves_the_child_when_the_driving_saved_is_worth_more_than_the_change(int penalty)
    {
        var timetable = Solve.Checked(FamiliarTeacherFarAway(penalty).Build());

        timetable.Only("s1").TeacherIds.Should().Equal(new TeacherId("t1"));
        timetable.Metrics!.BaselineChanges.Should().Be(1);
        timetable.Changes.Should().ContainSingle().Which.Now.Should().NotBeNull();
    }

    [Theory]
    [InlineData(1, 60)]
    [InlineData(10, 15)]
    public void A_rerun_of_an_unchanged_week_keeps_every_session(int step, int penalty)
    {
        // 20 sessions: more than CP-SAT solves whole, so the search itself must hold the baseline.
        var week = Planning.RoadWeek(teachers: 3, students: 20, seed: 11).Planning(step, penalty);
        var first = Solve.Checked(week.Build(), seconds: 0.5);
        foreach (var s in first.Sessions)
        {
            week.Baseline(s.StudentId.Value, s.Mode, s.Day, s.Start.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                s.End.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), [.. s.TeacherIds.Select(t => t.Value)]);
        }

        var rerun = Solve.Checked(week.Build(), seconds: 0.5, seed: 2);

        rerun.Metrics!.BaselineChanges.Should().Be(0);
        rerun.Changes.Should().BeEmpty();
        rerun.Metrics.TotalTravelMinutes.Should().BeLessThanOrEqualTo(first.Metrics!.TotalTravelMinutes);
    }

    [Fact]
    public void Counts_a_change_of_start_alone_as_a_change()
    {
        // The baseline start no longer fits the child's window: same teacher and day, new time.
        var scenario = new Week().Place("base", 0).Place("h1", 10)
            .Days(Weekday.Mon)
            .Teacher("t1", "base")
            .Student("s1", "h1", availability: [W(Weekday.Mon, "13:00", "17:00")])
            .Baseline("s1", SessionMode.Home, Weekday.Mon, "09:00", "10:00", "t1")
            .Planning(changePenalty: 60)
            .Build();

        var timetable = Solve.Checked(scenario);

        timetable.Metrics!.BaselineChanges.Should().Be(1);
        timetable.Changes.Should().ContainSingle().Which.Was.Start.Should().Be(T("09:00"));
    }
    [Fact]
    public void Keeps_a_two_person_visit_with_its_team_listed_in_any_order()
    {
        var scenario = new Week().Place("b1", 0).Place("b2", 5).Place("h1", 10)
            .Days(Weekday.Mon, Weekday.Tue)
            .Teacher("t1", "b1")
            .Teacher("t2", "b2", skills: ["rehabilitation"])
            .Student("s1", "h1", team: 2, skills: ["special-education", "rehabilitation"])
            .Baseline("s1", SessionMode.Home, Weekday.Tue, "14:00", "15:00", "t2", "t1")
            .Planning(startStep: 5, changePenalty: 60)
            .Build();

        var timetable = Solve.Checked(scenario);

        timetable.Only("s1").Day.Should().Be(Weekday.Tue);
        timetable.Only("s1").Start.Should().Be(T("14:00"));
        timetable.Metrics!.BaselineChanges.Should().Be(0);
    }
}
