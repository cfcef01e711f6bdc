using System.Collections.Concurrent;
using ControlDropout.Scheduling.Solving;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Timetables;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ControlDropout.Web.Tests.Features.Timetables;

/// <summary>
/// Runs claimed from the database: two workers over one database (the app's own and a second one in the same
/// process, as a second instance would be), a run left by a dead instance, and a cancel written straight into the row.
/// Counties whose code starts with <see cref="Stuck"/> solve until cancelled; every other solve is counted and real.
/// </summary>
public sealed class RunClaimTests : IClassFixture<ServiceFactory>
{
    private const string Stuck = "539";

    private readonly ServiceFactory _factory;

    private static readonly ConcurrentDictionary<string, int> Solves = new();

    public RunClaimTests(ServiceFactory factory)
    {
        _factory = factory;
        _factory.ConfigureTestServices = services => services.AddSingleton<WeekSolve>(CountedSolve);
    }

    private static Scheduling.Timetables.Timetable CountedSolve(Scheduling.Scenarios.Scenario scenario, Scheduling.Scenarios.SolveOptions options,
        IProgress<SolveProgress>? progress, CancellationToken cancellation)
    {
        if (scenario.Name.StartsWith(Stuck, StringComparison.Ordinal))
        {
            progress?.Report(new SolveProgress("search", 0.5, 0, 1, 0));
            // A generous ceiling so that a broken cancel fails the test instead of hanging it.
            cancellation.WaitHandle.WaitOne(TimeSpan.FromMinutes(2));
            cancellation.ThrowIfCancellationRequested();
            throw new TimeoutException("the run was never cancelled");
        }
        Solves.AddOrUpdate(scenario.Name, 1, (_, n) => n + 1);
        return WeekSolver.Solve(scenario, options, progress, cancellation);
    }

    private static int countyNumber;

    /// <summary>A county of its own (a term and one schedulable child), so that each run here is the county's one active run.</summary>
    private async Task<TestCounty> CountyAsync(string prefix = "531")
    {
        var code = prefix + Interlocked.Increment(ref countyNumber).ToString("000", System.Globalization.CultureInfo.InvariantCulture);
        var term = new Term { Id = TermId.New(), CountyCode = code, Name = "2026年秋季学期", FirstDay = new DateOnly(2026, 9, 1), LastDay = new DateOnly(2027, 1, 22) };
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Counties.Add(new County { Code = code, Name = "测试县" + code });
            db.Terms.Add(term);
            await db.SaveChangesAsync();
        }
        var county = new TestCounty(_factory, code, SchoolId.New(), default, term.Id, default, default, default, default, new Dictionary<string, string>());
        await SchedulableCounty.AddAsync(county, children: 1);
        return county;
    }

    private async Task<Guid> AddRunAsync(TestCounty county, Action<TimetableRun>? shape = null)
    {
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var run = new TimetableRun { CountyCode = county.Code, TermId = county.Term, StartedBy = "approver", CreatedAt = _factory.Clock.GetUtcNow() };
        shape?.Invoke(run);
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    private async Task<TimetableRun> WaitForAsync(Guid id, Func<TimetableRun, bool> done)
    {
        for (var i = 0; i < 1200; i++)
        {
            using var scope = _factory.Services.CreateScope();
            var run = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Runs.AsNoTracking().SingleAsync(r => r.Id == id);
            if (done(run))
            {
                return run;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the run never got there");
    }

    private static bool Finished(TimetableRun run) => run.Status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled;

    private RunWorker AppWorker => _factory.Services.GetServices<IHostedService>().OfType<RunWorker>().Single();

    private void NudgeAll() => _factory.Services.GetRequiredService<RunInbox>().Nudge();

    [Fact]
    public async Task Two_workers_over_one_database_solve_each_queued_run_exactly_once()
    {
        var counties = new List<TestCounty>();
        for (var i = 0; i < 6; i++)
        {
            counties.Add(await CountyAsync());
        }
        // The second worker is a second instance as far as the database can tell: its own name, its own claims.
        using var second = ActivatorUtilities.CreateInstance<RunWorker>(_factory.Services, new RunInbox());
        second.InstanceId.Should().NotBe(AppWorker.InstanceId);
        await second.StartAsync(CancellationToken.None);

        var runs = new List<Guid>();
        foreach (var county in counties)
        {
            runs.Add(await AddRunAsync(county));
        }
        NudgeAll();
        var finished = new List<TimetableRun>();
        foreach (var id in runs)
        {
            finished.Add(await WaitForAsync(id, Finished));
        }
        await second.StopAsync(CancellationToken.None);

        finished.Should().OnlyContain(r => r.Status == RunStatus.Succeeded && r.TimetableId != null && r.TakeOvers == 0);
        finished.Select(r => r.ClaimedBy).Should().OnlyContain(c => c == AppWorker.InstanceId || c == second.InstanceId);
        foreach (var county in counties)
        {
            Solves.Should().ContainKey($"{county.Code} 2026年秋季学期").WhoseValue.Should().Be(1, "county {0}'s run is solved once", county.Code);
        }
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        (await db.Timetables.CountAsync(t => runs.Contains(t.RunId))).Should().Be(runs.Count, "each run wrote one draft");
    }

    [Fact]
    public async Task A_running_run_whose_heartbeat_is_older_than_the_lease_is_taken_over_and_solved_again()
    {
        var county = await CountyAsync();
        var id = await AddRunAsync(county, r =>
        {
            r.Status = RunStatus.Running;
            r.ClaimedBy = "dead-host/1/00000000";
            r.HeartbeatAt = _factory.Clock.GetUtcNow() - TimeSpan.FromMinutes(5);
        });
        NudgeAll();

        var run = await WaitForAsync(id, Finished);

        run.Status.Should().Be(RunStatus.Succeeded);
        run.TakeOvers.Should().Be(1);
        run.ClaimedBy.Should().Be(AppWorker.InstanceId);
        Solves.Should().ContainKey($"{county.Code} 2026年秋季学期").WhoseValue.Should().Be(1);
    }

    [Fact]
    public async Task A_running_run_with_a_fresh_heartbeat_belongs_to_a_live_instance_and_is_left_alone()
    {
        var county = await CountyAsync();
        var id = await AddRunAsync(county, r =>
        {
            r.Status = RunStatus.Running;
            r.ClaimedBy = "live-host/1/00000000";
            r.HeartbeatAt = _factory.Clock.GetUtcNow() - TimeSpan.FromSeconds(5);
        });

        // Looked at directly, as a poll would: nothing for this worker to claim in this county.
        for (var i = 0; i < 3; i++)
        {
            var claim = await AppWorker.ClaimNextAsync(CancellationToken.None);
            claim?.RunId.Should().NotBe(id);
        }

        var run = await WaitForAsync(id, _ => true);
        run.Status.Should().Be(RunStatus.Running);
        run.ClaimedBy.Should().Be("live-host/1/00000000");
        run.TakeOvers.Should().Be(0);
    }

    [Fact]
    public async Task A_run_whose_instance_dies_after_a_take_over_is_failed_with_a_message_for_the_approver()
    {
        var county = await CountyAsync();
        var id = await AddRunAsync(county, r =>
        {
            r.Status = RunStatus.Running;
            r.ClaimedBy = "second-dead-host/1/00000000";
            r.HeartbeatAt = _factory.Clock.GetUtcNow() - TimeSpan.FromMinutes(5);
            r.TakeOvers = RunWorker.MaxTakeOvers;
        });
        NudgeAll();

        var run = await WaitForAsync(id, Finished);

        run.Status.Should().Be(RunStatus.Failed);
        run.Error.Should().Be(RunWorker.AbandonedMessage);
        run.TimetableId.Should().BeNull();
        Solves.Should().NotContainKey($"{county.Code} 2026年秋季学期");
        // The county may start again: a failed run holds no place.
        var again = await AddRunAsync(county);
        (await WaitForAsync(again, Finished)).Status.Should().Be(RunStatus.Succeeded);
    }

    [Fact]
    public async Task A_cancel_written_into_the_row_stops_the_solve_wherever_it_runs()
    {
        var county = await CountyAsync(Stuck);
        var id = await AddRunAsync(county);
        NudgeAll();
        await WaitForAsync(id, r => r.Status == RunStatus.Running && r.Progress > 0.05);

        // Straight into the database, as a cancel received by another instance is.
        using (var scope = _factory.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Runs.Where(r => r.Id == id)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.CancelRequested, true));
        }
        var run = await WaitForAsync(id, Finished);

        run.Status.Should().Be(RunStatus.Cancelled);
        run.TimetableId.Should().BeNull();
    }

    [Fact]
    public async Task A_worker_that_lost_its_run_to_a_take_over_drops_its_result()
    {
        var county = await CountyAsync(Stuck);
        var id = await AddRunAsync(county);
        NudgeAll();
        var running = await WaitForAsync(id, r => r.Status == RunStatus.Running && r.Progress > 0.05);
        running.ClaimedBy.Should().Be(AppWorker.InstanceId);

        // Another instance decided this one was dead and took the run over (as its compare-and-set would).
        using (var scope = _factory.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Runs.Where(r => r.Id == id)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.ClaimedBy, "other-host/2/00000000").SetProperty(r => r.TakeOvers, 1));
        }
        // The solving worker notices at its next heartbeat and stops without writing: the run stays the other's.
        await Task.Delay(RunWorker.WatchInterval * 8);
        var run = await WaitForAsync(id, _ => true);

        run.Status.Should().Be(RunStatus.Running);
        run.ClaimedBy.Should().Be("other-host/2/00000000");
        // Fail it here so that the app's worker does not take it over once the clock moves in another test.
        using (var scope = _factory.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Runs.Where(r => r.Id == id)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RunStatus.Failed));
        }
    }
}
