using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Solving;
using ControlDropout.Scheduling.Timetables;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Timetable = ControlDropout.Web.Domain.Timetable;

namespace ControlDropout.Web.Features.Timetables;

/// <summary>
/// Solves runs one at a time, claimed from the database so that any number of instances share them and each run
/// is solved exactly once: PostgreSQL hands each poll a queued row nobody else holds (<c>FOR UPDATE SKIP LOCKED</c>),
/// SQLite claims under its one write lock. The solving instance writes a heartbeat with its progress and reads the
/// cancel flag there, so a cancel sent to any instance reaches it. A running run whose heartbeat is older than the
/// lease belongs to an instance that died: another instance takes it over and solves it again from the start, once;
/// a run whose instance dies a second time is failed. A run's outcome — the draft timetable, its dated sessions and
/// the run's summary — is written in one transaction, and only while the claim is still this instance's.
/// </summary>
public sealed class RunWorker(IServiceScopeFactory scopes, RunInbox inbox, HolidayCalendar holidays, IOptions<SchedulingOptions> options, TimeProvider clock, ILogger<RunWorker> log,
    WeekSolve? solve = null)
    : BackgroundService
{
    public const string AbandonedMessage = "排课的服务实例在排课途中两次停止，本次排课已终止，请重新开始";

    /// <summary>A run is taken over from a dead instance this many times; one more death fails it (a run that kills its instance must not kill them all).</summary>
    public const int MaxTakeOvers = 1;

    /// <summary>How often a running solve's progress and heartbeat are written and its cancel flag read: a cancelled run stops within about this.</summary>
    public static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(250);

    // The share of the run's bar each stage fills: solving the template week is most of the work.
    private const double SolveFrom = 0.05;
    private const double SolveTo = 0.7;
    private const double ExpandTo = 0.95;

    private readonly WeekSolve _solve = solve ?? WeekSolver.Solve;

    /// <summary>This worker's name in <see cref="TimetableRun.ClaimedBy"/>: the host and process for an operator, and a nonce, as a process may host more than one.</summary>
    public string InstanceId { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>A run this worker holds, and how many take-overs it had when claimed: the claim is this pair, not the instance alone.</summary>
    internal readonly record struct Claim(Guid RunId, int TakeOvers);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromSeconds(options.Value.RunPollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await ClaimNextAsync(stoppingToken).ConfigureAwait(false) is { } claim)
                {
                    await SolveClaimedAsync(claim, null, stoppingToken).ConfigureAwait(false);
                    continue;
                }
            }
#pragma warning disable CA1031 // The worker outlives a lost connection: the next poll tries again, and the lease covers a run it held.
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                RunLog.PollFailed(log, ex.GetType().Name);
            }
            await inbox.WaitAsync(poll, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Claims the oldest queued run, or else takes over one whose instance died; null when there is none.</summary>
    internal async Task<Claim?> ClaimNextAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await ClaimQueuedAsync(db, ct).ConfigureAwait(false) ?? await TakeOverAsync(db, ct).ConfigureAwait(false);
    }

    private async Task<Claim?> ClaimQueuedAsync(AppDbContext db, CancellationToken ct)
    {
        // A look without a lock first: an idle poll must not take SQLite's one write lock every few seconds.
        if (!await db.Runs.AnyAsync(r => r.Status == RunStatus.Queued, ct).ConfigureAwait(false))
        {
            return null;
        }
        var postgres = db.Database.IsNpgsql();
        await using var transaction = postgres
            ? await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false)
            : await WriteLock.BeginAsync(db.Database, ct).ConfigureAwait(false);
        // PostgreSQL: a row another instance is claiming right now is skipped, not waited for, and never handed out twice.
        var id = postgres
            ? (await db.Database.SqlQuery<Guid>(
                $"""SELECT "Id" AS "Value" FROM "Runs" WHERE "Status" = {(int)RunStatus.Queued} ORDER BY "Id" LIMIT 1 FOR UPDATE SKIP LOCKED""")
                .ToListAsync(ct).ConfigureAwait(false)).Select(i => (Guid?)i).FirstOrDefault()
            : await db.Runs.Where(r => r.Status == RunStatus.Queued).OrderBy(r => r.Id).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (id is not { } runId || !await ClaimAsync(db, runId, ct).ConfigureAwait(false))
        {
            return null;
        }
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return new Claim(runId, 0);
    }

    /// <summary>The claim itself: only a run still queued becomes this instance's, whatever the caller read before.</summary>
    private async Task<bool> ClaimAsync(AppDbContext db, Guid runId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var claimed = await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Queued)
            .ExecuteUpdateAsync(u => u
                .SetProperty(r => r.Status, RunStatus.Running).SetProperty(r => r.ClaimedBy, InstanceId).SetProperty(r => r.HeartbeatAt, now)
                .SetProperty(r => r.StartedAt, now).SetProperty(r => r.Progress, SolveFrom), ct).ConfigureAwait(false);
        return claimed == 1;
    }

    /// <summary>
    /// A running run whose heartbeat is older than the lease: its instance died (or lost the database). It is taken
    /// over — or failed, if it was taken over before — with a compare-and-set on what was read, so of several
    /// instances that see it stale at once exactly one acts, and an owner that comes back to life finds it gone.
    /// </summary>
    private async Task<Claim?> TakeOverAsync(AppDbContext db, CancellationToken ct)
    {
        var lease = TimeSpan.FromSeconds(options.Value.RunLeaseSeconds);
        var now = clock.GetUtcNow();
        // At most one running run per county: few rows. SQLite cannot compare DateTimeOffset, so the age is judged here.
        var running = await db.Runs.AsNoTracking().Where(r => r.Status == RunStatus.Running)
            .Select(r => new { r.Id, r.ClaimedBy, r.HeartbeatAt, r.TakeOvers }).ToListAsync(ct).ConfigureAwait(false);
        foreach (var stale in running.Where(r => r.ClaimedBy != InstanceId && (r.HeartbeatAt is not { } beat || now - beat > lease)).OrderBy(r => r.Id))
        {
            var asSeen = db.Runs.Where(r => r.Id == stale.Id && r.Status == RunStatus.Running
                && r.ClaimedBy == stale.ClaimedBy && r.HeartbeatAt == stale.HeartbeatAt && r.TakeOvers == stale.TakeOvers);
            if (stale.TakeOvers >= MaxTakeOvers)
            {
                if (await asSeen.ExecuteUpdateAsync(u => u
                        .SetProperty(r => r.Status, RunStatus.Failed).SetProperty(r => r.Error, AbandonedMessage)
                        .SetProperty(r => r.FinishedAt, now).SetProperty(r => r.ClaimedBy, InstanceId), ct).ConfigureAwait(false) == 1)
                {
                    RunLog.Abandoned(log, stale.Id, stale.ClaimedBy ?? "-", stale.TakeOvers);
                }
                continue;
            }
            var takeOvers = stale.TakeOvers + 1;
            if (await asSeen.ExecuteUpdateAsync(u => u
                    .SetProperty(r => r.ClaimedBy, InstanceId).SetProperty(r => r.HeartbeatAt, now).SetProperty(r => r.TakeOvers, takeOvers)
                    .SetProperty(r => r.StartedAt, now).SetProperty(r => r.Progress, SolveFrom), ct).ConfigureAwait(false) == 1)
            {
                RunLog.TookOver(log, stale.Id, stale.ClaimedBy ?? "-");
                return new Claim(stale.Id, takeOvers);
            }
        }
        return null;
    }

    /// <summary>
    /// Claims one queued run and solves it with sessions from <paramref name="firstDay"/> (null: the next teaching day,
    /// where publishing takes effect by default). Only the demo seeder calls this: it builds a county's history from a
    /// run made before the term began. Nothing happens if the run is no longer queued.
    /// </summary>
    public async Task ProcessAsync(Guid runId, DateOnly? firstDay, CancellationToken ct)
    {
        bool claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            claimed = await ClaimAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), runId, ct).ConfigureAwait(false);
        }
        if (claimed)
        {
            await SolveClaimedAsync(new Claim(runId, 0), firstDay, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The run as this worker claimed it: every write after the claim is conditional on it, so a run taken over is never written twice.</summary>
    private IQueryable<TimetableRun> Mine(AppDbContext db, Claim claim) =>
        db.Runs.Where(r => r.Id == claim.RunId && r.Status == RunStatus.Running && r.ClaimedBy == InstanceId && r.TakeOvers == claim.TakeOvers);

    internal async Task SolveClaimedAsync(Claim claim, DateOnly? firstDay, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == claim.RunId, ct).ConfigureAwait(false);
        if (run.CancelRequested)
        {
            var now = clock.GetUtcNow();
            await Mine(db, claim).ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RunStatus.Cancelled).SetProperty(r => r.FinishedAt, now), ct).ConfigureAwait(false);
            return;
        }
        var measured = Telemetry.RunStarted();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var progress = new LatestProgress(SolveFrom);
        try
        {
            var solving = Task.Run(() => SolveAsync(db, run, firstDay, progress, cancel.Token), cancel.Token);
            if (await WatchAsync(claim, solving, progress, cancel, ct).ConfigureAwait(false))
            {
                // Another instance took the run over while this one seemed dead: its result, not this one's, is the run's.
                await ((Task)solving).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                RunLog.Lost(log, claim.RunId);
                return;
            }
            var outcome = await solving.ConfigureAwait(false);
            // Cancellation is asked for from another request: read the flag once more, the solve may have ended between two looks.
            if (await CancelRequestedAsync(claim.RunId, ct).ConfigureAwait(false))
            {
                throw new OperationCanceledException(cancel.Token);
            }
            await using var transaction = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
            db.Timetables.Add(outcome);
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            var finished = clock.GetUtcNow();
            var written = await Mine(db, claim).ExecuteUpdateAsync(u => u
                .SetProperty(r => r.Status, RunStatus.Succeeded).SetProperty(r => r.TimetableId, outcome.Id).SetProperty(r => r.Progress, 1)
                .SetProperty(r => r.FinishedAt, finished).SetProperty(r => r.HeartbeatAt, finished)
                .SetProperty(r => r.RequiredSessions, run.RequiredSessions).SetProperty(r => r.PlacedSessions, run.PlacedSessions)
                .SetProperty(r => r.UnassignedSessions, run.UnassignedSessions).SetProperty(r => r.TravelMinutes, run.TravelMinutes), ct).ConfigureAwait(false);
            if (written != 1)
            {
                // Taken over between the last heartbeat and now: the transaction rolls back, the timetable with it.
                RunLog.Lost(log, claim.RunId);
                return;
            }
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            Telemetry.RunFinished(measured, RunStatus.Succeeded);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            db.ChangeTracker.Clear();
            var share = progress.Share;
            var now = clock.GetUtcNow();
            await Mine(db, claim).ExecuteUpdateAsync(u => u
                .SetProperty(r => r.Status, RunStatus.Cancelled).SetProperty(r => r.Progress, share).SetProperty(r => r.FinishedAt, now), ct).ConfigureAwait(false);
            Telemetry.RunFinished(measured, RunStatus.Cancelled);
        }
#pragma warning disable CA1031 // A failed run must be recorded as failed, whatever went wrong inside the solve.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            // The exception's type only: messages may carry a child's data and logs must not.
            RunLog.Failed(log, claim.RunId, ex.GetType().Name);
            db.ChangeTracker.Clear();
            var error = ex is RunFailedException ? ex.Message : "排课失败（内部错误），请联系管理员";
            var now = clock.GetUtcNow();
            await Mine(db, claim).ExecuteUpdateAsync(u => u
                .SetProperty(r => r.Status, RunStatus.Failed).SetProperty(r => r.Error, error).SetProperty(r => r.FinishedAt, now), ct).ConfigureAwait(false);
            Telemetry.RunFinished(measured, RunStatus.Failed);
        }
    }

    /// <summary>
    /// While the solve runs: writes its progress and the heartbeat, and stops it once somebody asks to cancel (on
    /// whichever instance) or the run turns out to have been taken over. Returns whether it was taken over.
    /// </summary>
    private async Task<bool> WatchAsync(Claim claim, Task solving, LatestProgress progress, CancellationTokenSource cancel, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        while (!solving.IsCompleted)
        {
            // Real time, not the injected clock: this paces a loop, it records no instant.
            await Task.WhenAny(solving, Task.Delay(WatchInterval, ct)).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            var share = progress.Share;
            var now = clock.GetUtcNow();
            if (await Mine(db, claim).ExecuteUpdateAsync(u => u.SetProperty(r => r.Progress, share).SetProperty(r => r.HeartbeatAt, now), ct).ConfigureAwait(false) == 0)
            {
                await cancel.CancelAsync().ConfigureAwait(false);
                return true;
            }
            if (!cancel.IsCancellationRequested && await db.Runs.AnyAsync(r => r.Id == claim.RunId && r.CancelRequested, ct).ConfigureAwait(false))
            {
                await cancel.CancelAsync().ConfigureAwait(false);
            }
        }
        return false;
    }

    private async Task<bool> CancelRequestedAsync(Guid runId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Runs.AnyAsync(r => r.Id == runId && r.CancelRequested, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The template week of the term's version in force, as the core placed it: every new run starts from it, so a
    /// re-run moves a child only for a real gain. None before the first publication.
    /// </summary>
    private static async Task<IReadOnlyList<SessionPlacement>> InForceTemplateAsync(AppDbContext db, TimetableRun run, CancellationToken ct)
    {
        var published = await db.Timetables.AsNoTracking()
            .Where(t => t.CountyCode == run.CountyCode && t.TermId == run.TermId && t.Status == Domain.TimetableStatus.Published)
            .Select(t => t.TemplateJson).ToListAsync(ct).ConfigureAwait(false);
        // A template that no longer reads only costs the run its baseline, never the run.
        return published.Count == 1 && DraftReport.Template(published[0]) is { } template ? template.Sessions : [];
    }

    private async Task<Timetable> SolveAsync(AppDbContext db, TimetableRun run, DateOnly? firstDay, LatestProgress progress, CancellationToken ct)
    {
        var term = await db.Terms.AsNoTracking().SingleAsync(t => t.Id == run.TermId, ct).ConfigureAwait(false);
        var policy = await db.Policies.FindAsync([run.CountyCode], ct).ConfigureAwait(false) ?? CountyPolicy.LincangDefault(run.CountyCode);
        var plans = await db.Plans.AsNoTracking().Include(p => p.Versions)
            .Where(p => p.CountyCode == run.CountyCode && p.TermId == run.TermId).ToListAsync(ct).ConfigureAwait(false);
        // Only a version in force is scheduled: the newest approved or active one.
        var inForce = plans
            .Select(p => p.Versions.Where(v => v.Status is PlanStatus.Approved or PlanStatus.Active).OrderByDescending(v => v.Number).FirstOrDefault())
            .OfType<PlanVersion>().ToList();
        var studentIds = plans.Where(p => p.Versions.Any(v => inForce.Contains(v))).Select(p => p.StudentId).ToList();
        var students = await db.Students.AsNoTracking().Where(s => studentIds.Contains(s.Id) && s.Status == StudentStatus.Enrolled).ToDictionaryAsync(s => s.Id, ct).ConfigureAwait(false);
        var approved = plans
            .Select(p => (Plan: p, Version: inForce.FirstOrDefault(v => v.PlanId == p.Id)))
            .Where(x => x.Version is not null && students.ContainsKey(x.Plan.StudentId))
            .Select(x => new ApprovedPlan(students[x.Plan.StudentId], x.Version!))
            .ToList();
        if (approved.Count == 0)
        {
            throw new RunFailedException("本学期没有已审批的送教方案，无法排课");
        }
        var staff = await db.Staff.AsNoTracking().Where(s => s.CountyCode == run.CountyCode).ToListAsync(ct).ConfigureAwait(false);
        var o = options.Value;
        var baseline = await InForceTemplateAsync(db, run, ct).ConfigureAwait(false);
        var (scenario, excluded) = ScenarioBuilder.Build($"{run.CountyCode} {term.Name}", approved, staff, policy, new SolveOptions(o.TimeLimitSeconds, o.Seed, o.Workers), baseline);
        var problems = ScenarioBuilder.Check(scenario);
        if (problems.Count > 0)
        {
            throw new RunFailedException("排课数据有误：" + string.Join("；", problems.Take(5)));
        }
        var solved = _solve(scenario, scenario.Options, progress.Between(SolveFrom, SolveTo), ct);
        progress.Set(SolveTo);

        var closures = await db.Closures.AsNoTracking().Where(c => c.CountyCode == run.CountyCode && c.LastDay >= term.FirstDay && c.FirstDay <= term.LastDay).ToListAsync(ct).ConfigureAwait(false);
        var countyWeeks = TermCalendar.Weeks(term, holidays, closures);
        var byTownship = new Dictionary<string, IReadOnlyList<CalendarWeek>>();
        IReadOnlyList<CalendarWeek> WeeksOf(Scheduling.Scenarios.StudentId studentId)
        {
            var township = Conventions.TownshipOf(students[CoreIds.Student(studentId)].VillageCode);
            if (township is null)
            {
                return countyWeeks;
            }
            if (!byTownship.TryGetValue(township, out var weeks))
            {
                byTownship[township] = weeks = TermCalendar.Weeks(term, holidays, closures, township);
            }
            return weeks;
        }
        // Each child only inside their plan's effective span, and nothing before the day a publication could take
        // effect: a run never rewrites the past, and this week's sessions due today or earlier are moved to its remaining days.
        var spans = approved.ToDictionary(a => a.Student.Id, a => RecordFacts.SpanOf(plans.Single(p => p.StudentId == a.Student.Id), term));
        var today = Conventions.ChinaDay(clock.GetUtcNow());
        var from = firstDay ?? TermCalendar.FirstTeachingDay(countyWeeks, today.AddDays(1)) ?? today.AddDays(1);
        // A week's re-plan around a holiday keeps to the county's grid; it already has the template as its baseline.
        var (dated, _) = TermExpander.Expand(scenario, solved, countyWeeks, WeeksOf, id => spans.GetValueOrDefault(CoreIds.Student(id)), from,
            new SolveOptions(o.WeekTimeLimitSeconds, o.Seed, o.Workers, policy.StartTimeStepMinutes), ct);
        progress.Set(ExpandTo);

        var timetable = new Timetable
        {
            CountyCode = run.CountyCode, TermId = run.TermId, RunId = run.Id, CreatedAt = clock.GetUtcNow(),
            TemplateJson = TimetableJson.Write(solved), ScenarioJson = ScenarioWriter.Write(scenario), TravelMinutes = solved.Metrics?.TotalTravelMinutes ?? 0,
        };
        timetable.Unassigned = [.. solved.Unassigned.Select(u => new UnassignedChild
            {
                StudentId = CoreIds.Student(u.StudentId), Mode = CoreIds.Mode(u.Mode), ReasonCode = u.Reason.Code, ReasonMessage = u.Reason.Message,
            })
            .Concat(excluded.Select(e => new UnassignedChild { StudentId = e.StudentId, Mode = e.Mode, ReasonCode = e.Code, ReasonMessage = e.Message }))];
        timetable.Sessions = [.. dated.Select(d => new TimetableSession
        {
            TimetableId = timetable.Id, SessionKey = d.Key, StudentId = d.StudentId, Mode = d.Mode,
            Week = d.Week, Date = d.Date, Start = d.Start, End = d.End, StaffIds = [.. d.StaffIds], MovedBecause = d.MovedBecause,
            ChangedAt = timetable.CreatedAt,
        })];
        run.RequiredSessions = (solved.Metrics?.RequiredSessions ?? 0) + excluded.Count;
        run.PlacedSessions = solved.Metrics?.PlacedSessions ?? 0;
        run.UnassignedSessions = timetable.Unassigned.Count;
        run.TravelMinutes = timetable.TravelMinutes;
        return timetable;
    }
}

internal static partial class RunLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "timetable run {RunId} failed: {ErrorType}")]
    public static partial void Failed(ILogger logger, Guid runId, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "timetable run {RunId} taken over from instance {DeadInstance}, whose heartbeat is older than the lease")]
    public static partial void TookOver(ILogger logger, Guid runId, string deadInstance);

    [LoggerMessage(Level = LogLevel.Error, Message = "timetable run {RunId} failed: its instance {DeadInstance} died after {TakeOvers} take-over(s)")]
    public static partial void Abandoned(ILogger logger, Guid runId, string deadInstance, int takeOvers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "timetable run {RunId} was taken over by another instance while this one solved it; this result is dropped")]
    public static partial void Lost(ILogger logger, Guid runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "looking for timetable runs failed: {ErrorType}")]
    public static partial void PollFailed(ILogger logger, string errorType);
}

/// <summary>The core's solve of one template week, as the worker calls it; a seam so that a test can stand in a solve it controls.</summary>
public delegate Scheduling.Timetables.Timetable WeekSolve(Scheduling.Scenarios.Scenario scenario, SolveOptions options, IProgress<SolveProgress>? progress, CancellationToken cancellation);

/// <summary>The newest progress of a solve, read by the worker's watch loop (the solver reports on its own thread).</summary>
internal sealed class LatestProgress(double start)
{
    private double _share = start;

    public double Share => Volatile.Read(ref _share);

    public void Set(double share) => Volatile.Write(ref _share, share);

    /// <summary>The core's budget share mapped onto a stretch of the run's bar.</summary>
    public IProgress<SolveProgress> Between(double from, double to) => new Mapped(this, from, to);

    private sealed class Mapped(LatestProgress latest, double from, double to) : IProgress<SolveProgress>
    {
        public void Report(SolveProgress value) => latest.Set(from + (to - from) * Math.Clamp(value.BudgetShare, 0, 1));
    }
}

/// <summary>A run that cannot go on for a reason the approver can act on; its message is shown as is.</summary>
public sealed class RunFailedException(string message) : Exception(message);
