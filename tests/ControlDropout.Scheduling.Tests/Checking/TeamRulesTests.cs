using System.Collections.Immutable;
using ControlDropout.Scheduling.Checking;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Timetables;
using FluentAssertions;
using static ControlDropout.Scheduling.Tests.Checking.HandMade;
using static ControlDropout.Scheduling.Tests.Support.Week;

namespace ControlDropout.Scheduling.Tests.Checking;

/// <summary>Rules 4–5 as the checker re-derives them.</summary>
public class TeamRulesTests
{
    [Fact]
    public void Team_catches_a_teacher_without_the_required_skill()
    {
        var bad = HandMade.Honest(S("s1", SessionMode.Home, Weekday.Mon, "09:00", "10:00", "t2"), Clean[1]);

        TimetableChecker.Check(TwoChildren, bad).Should().Equal("rule 4: sessions[0] (s1 home Mon 09:00) lacks skill 'special-education'");
    }

    [Fact]
    public void Team_catches_a_remote_session_by_someone_who_cannot_teach_remotely()
    {
        // t2 has the skills s2 needs in this variant, but no video.
        var scenario = TwoChildren with { Students = [.. TwoChildren.Students.Select(s => s with { RequiredSkills = [] })] };
        var bad = HandMade.Honest(scenario, [Clean[0], S("s2", SessionMode.Remote, Weekday.Tue, "08:00", "09:00", "t2")]);

        TimetableChecker.Check(scenario, bad).Should().Equal("rule 4: sessions[1] (s2 remote Tue 08:00) is remote but teacher 't2' cannot teach remotely");
    }

    [Fact]
    public void Places_puts_a_remote_session_at_the_teachers_base_with_no_travel()
    {
        var clean = HandMade.Honest(Clean);
        // Driving to s2's home (60 minutes each way) for a video session is not what rule 5 says.
        var drove = clean with
        {
            Routes = [clean.Routes[0], new TeacherRoute(new TeacherId("t1"), Weekday.Tue, T("07:00"), T("10:00"), 120)],
            Metrics = clean.Metrics! with { TotalTravelMinutes = 60 + 120 },
        };

        clean.Routes[1].Should().Be(new TeacherRoute(new TeacherId("t1"), Weekday.Tue, T("08:00"), T("09:00"), 0));
        TimetableChecker.Check(TwoChildren, clean).Should().BeEmpty();
        TimetableChecker.Check(TwoChildren, drove).Should().Contain("routes: route t1 Tue 07:00-10:00 travel 120 does not follow from the sessions")
            .And.Contain("metrics.totalTravelMinutes: 180, but the sessions give 60");
    }

    [Fact]
    public void Places_catches_a_session_at_a_place_the_travel_model_does_not_know()
    {
        var timetable = HandMade.Honest(Clean);
        var matrix = (MatrixTravel)TwoChildren.Travel;
        var keep = new[] { 0, 2 }; // base and h2: h1, s1's home, has no travel times
        var cut = TwoChildren with
        {
            Travel = new MatrixTravel([.. keep.Select(i => matrix.PlaceIds[i])], [.. keep.Select(i => keep.Select(j => matrix.Minutes[i][j]).ToImmutableArray())]),
        };

        TimetableChecker.Check(cut, timetable).Should().Equal("rule 5: sessions[0] (s1 home Mon 09:00) takes teacher 't1' to 'h1', which has no travel time in the scenario");
    }
}
