using ControlDropout.Scheduling.Checking;
using ControlDropout.Scheduling.Scenarios;
using FluentAssertions;
using static ControlDropout.Scheduling.Tests.Checking.HandMade;

namespace ControlDropout.Scheduling.Tests.Checking;

/// <summary>Rules 8–9 as the checker re-derives them: pinned sessions and the start grid.</summary>
public class PlanningRulesTests
{
    private static readonly SessionPlacement OffGrid = S("s1", SessionMode.Home, Weekday.Mon, "09:10", "10:10", "t1");

    [Fact]
    public void Pinned_catches_a_pinned_session_that_moved()
    {
        var scenario = TwoChildren with { Pinned = [Clean[0]] };
        var moved = HandMade.Honest(scenario, [S("s1", SessionMode.Home, Weekday.Tue, "09:00", "10:00", "t1"), S("s2", SessionMode.Remote, Weekday.Mon, "08:00", "09:00", "t1")]);

        TimetableChecker.Check(scenario, moved).Should().Equal("rule 8: pinned[0] (s1 home Mon 09:00) does not appear unchanged");
        TimetableChecker.Check(scenario, HandMade.Honest(scenario, Clean)).Should().BeEmpty();
    }

    [Fact]
    public void StartGrid_catches_a_start_at_09_10_on_a_15_minute_grid()
    {
        var scenario = Grid(15);

        TimetableChecker.Check(scenario, HandMade.Honest(scenario, [OffGrid, Clean[1]])).Should()
            .Equal("rule 9: sessions[0] (s1 home Mon 09:10) starts off the 15-minute grid");
        TimetableChecker.Check(scenario, HandMade.Honest(scenario, Clean)).Should().BeEmpty("09:00 and 08:00 are on the grid");
    }

    [Fact]
    public void StartGrid_lets_a_pinned_session_keep_its_start()
    {
        var scenario = Grid(15) with { Pinned = [OffGrid] };

        TimetableChecker.Check(scenario, HandMade.Honest(scenario, [OffGrid, Clean[1]])).Should().BeEmpty();
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(5, true)]
    [InlineData(10, true)]
    [InlineData(15, false)]
    [InlineData(30, false)]
    public void StartGrid_judges_09_10_by_the_step_the_scenario_gives(int step, bool onGrid)
    {
        var scenario = Grid(step);

        TimetableChecker.Check(scenario, HandMade.Honest(scenario, [OffGrid, Clean[1]])).Should().HaveCount(onGrid ? 0 : 1);
    }

    private static Scenario Grid(int step) => TwoChildren with { Options = TwoChildren.Options with { StartTimeStepMinutes = step } };
}
