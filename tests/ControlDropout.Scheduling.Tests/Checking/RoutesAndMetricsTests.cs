using ControlDropout.Scheduling.Checking;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Timetables;
using FluentAssertions;
using static ControlDropout.Scheduling.Tests.Checking.HandMade;

namespace ControlDropout.Scheduling.Tests.Checking;

/// <summary>Routes, metrics, the lower bound and the status must agree with the sessions exactly.</summary>
public class RoutesAndMetricsTests
{
    private static readonly Timetable Honest = HandMade.Honest(Clean);

    [Fact]
    public void Routes_catches_a_route_that_does_not_follow_from_the_sessions()
    {
        var bad = Honest with { Routes = [Honest.Routes[0] with { TravelMinutes = 59 }, Honest.Routes[1]] };

        TimetableChecker.Check(TwoChildren, bad).Should().Equal(
            "routes: missing or different route t1 Mon 08:30-10:30 travel 60",
            "routes: route t1 Mon 08:30-10:30 travel 59 does not follow from the sessions");
    }

    [Fact]
    public void Metrics_catches_a_travel_total_that_is_not_the_sum_of_the_routes()
    {
        var bad = Honest with { Metrics = Honest.Metrics! with { TotalTravelMinutes = 61 } };

        TimetableChecker.Check(TwoChildren, bad).Should().Equal("metrics.totalTravelMinutes: 61, but the sessions give 60");
    }

    [Fact]
    public void Metrics_re_derives_each_teachers_load()
    {
        var t1 = Honest.Metrics!.Teachers[0];
        t1.Should().Be(new TeacherLoad(new TeacherId("t1"), 2, 120, 60, 60));
        var wrong = Honest with { Metrics = Honest.Metrics with { Teachers = [t1 with { MaxDayTravelMinutes = 30 }, Honest.Metrics.Teachers[1]] } };
        var missing = Honest with { Metrics = Honest.Metrics with { Teachers = [Honest.Metrics.Teachers[1]] } };
        var idle = Honest with { Metrics = Honest.Metrics with { Teachers = [t1] } };

        TimetableChecker.Check(TwoChildren, wrong).Should().Equal("metrics.teachers: teacher 't1' has maxDayTravelMinutes 30, but the sessions give 60");
        TimetableChecker.Check(TwoChildren, missing).Should().Equal("metrics.teachers: teacher 't1' is missing (2 sessions)");
        TimetableChecker.Check(TwoChildren, idle).Should().BeEmpty("a teacher with nothing to do may be left out");
    }

    [Fact]
    public void LowerBound_catches_a_bound_above_the_travel_found()
    {
        var bad = Honest with { Metrics = Honest.Metrics! with { TravelLowerBound = 61 } };

        TimetableChecker.Check(TwoChildren, bad).Should().Equal("metrics.travelLowerBound: 61 is above the travel total 60");
    }

    [Fact]
    public void LowerBound_catches_an_unknown_method_and_an_exact_bound_below_the_travel()
    {
        var unknown = Honest with { Metrics = Honest.Metrics! with { LowerBoundMethod = "guess" } };
        var exact = Honest with { Metrics = Honest.Metrics! with { LowerBoundMethod = LowerBoundMethods.Exact, TravelLowerBound = 50 } };

        TimetableChecker.Check(TwoChildren, unknown).Should().Equal("metrics.lowerBoundMethod: unknown method 'guess'");
        TimetableChecker.Check(TwoChildren, exact).Should().Equal("metrics.lowerBoundMethod: exact, but the bound 50 is not the travel total 60");
    }

    [Fact]
    public void Status_is_Optimal_only_when_the_bound_meets_the_travel()
    {
        var claimed = Honest with { Status = TimetableStatus.Optimal, Metrics = Honest.Metrics! with { TravelLowerBound = 50 } };
        var proven = Honest with { Status = TimetableStatus.Optimal, Metrics = Honest.Metrics! with { TravelLowerBound = 60, LowerBoundMethod = LowerBoundMethods.ColumnGeneration } };

        TimetableChecker.Check(TwoChildren, claimed).Should().Equal("status: Optimal, but the lower bound (50) does not prove the travel total 60 minimal");
        TimetableChecker.Check(TwoChildren, proven).Should().BeEmpty();
    }

    [Fact]
    public void Status_follows_from_the_sessions()
    {
        var partial = HandMade.Honest(TwoChildren, [Clean[0]]);

        TimetableChecker.Check(TwoChildren, partial with { Status = TimetableStatus.Feasible }).Should().Equal("status: Feasible but the sessions make it Partial");
        TimetableChecker.Check(TwoChildren, partial).Should().BeEmpty();
    }
}
