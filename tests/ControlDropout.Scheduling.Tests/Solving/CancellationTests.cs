using System.Diagnostics;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Solving;
using ControlDropout.Scheduling.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Scheduling.Tests.Solving;

/// <summary>A solve the service cancels stops at once instead of spending its whole budget.</summary>
public class CancellationTests
{
    /// <summary>Forty children on a long road and five teachers: far more than CP-SAT solves whole, so the search uses its budget.</summary>
    private static Scenario Busy()
    {
        var week = new Week();
        for (var t = 0; t < 5; t++)
        {
            week.Teacher($"t{t}", $"b{t}");
        }
        for (var s = 0; s < 40; s++)
        {
            week.Place($"h{s}", 5 + s * 7 % 90).Student($"s{s}", $"h{s}", home: 1 + s % 2, minutes: 60);
        }
        return week.Build();
    }

    [Fact]
    public void A_solve_cancelled_before_it_starts_does_nothing()
    {
        var act = () => WeekSolver.Solve(Busy(), new SolveOptions(60, 1, 1), null, new CancellationToken(canceled: true));

        act.Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void A_solve_with_a_long_budget_reports_progress_and_stops_promptly_once_cancelled()
    {
        var reports = new List<SolveProgress>();
        using var cancel = new CancellationTokenSource();
        var sinceCancel = new Stopwatch();
        // Cancelled from the first report of the search itself: no timer, so the test does not depend on the machine's speed.
        var progress = new Inline(p =>
        {
            reports.Add(p);
            if (p.Phase == "search" && !cancel.IsCancellationRequested)
            {
                sinceCancel.Start();
                cancel.Cancel();
            }
        });

        var act = () => WeekSolver.Solve(Busy(), new SolveOptions(20, 1, 1), progress, cancel.Token);

        act.Should().Throw<OperationCanceledException>();
        reports.Select(r => r.Phase).Should().StartWith(["construct", "search"]);
        // Generous: the budget was twenty seconds; a cancelled solve ends at its next check, well within seconds.
        sinceCancel.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
    }

    private sealed class Inline(Action<SolveProgress> report) : IProgress<SolveProgress>
    {
        public void Report(SolveProgress value) => report(value);
    }
}
