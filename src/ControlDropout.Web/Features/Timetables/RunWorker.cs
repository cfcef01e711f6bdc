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
/// Solves queued runs one at a time. A run's outcome — the draft timetable, its dated sessions and
/// the run's summary — is written in one transaction, so a run never leaves half a result; a run
/// found running at start-up was cut off by a restart and is marked failed, to be started again.
/// </summary>
public sealed class RunWorker(IServiceScopeFactory scopes, RunInbox queue, HolidayCalendar holidays, IOptions<SchedulingOptions> options, TimeProvider clock, ILogger<RunWorker> log,
    WeekSolve? solve = null)
    : BackgroundService
{
    public const string InterruptedMessage = "排课过程被服务重启打断，请重新开始";

    /// <summary>How often a running solve's progress is written and its cancel flag read: a cancelled run stops within about this.</summary>
    public static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(250);

    // The share of the run's bar each stage fills: solving the template week is most of the work.
    private const double SolveFrom = 0.05;
    private const double SolveTo = 0.7;
    private const double ExpandTo = 0.95;

    private readonly WeekSolve _solve = solve ?? WeekSolver.Solve;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RecoverAsync(stoppingToken).ConfigureAwait(false);
        await foreach (var runId in queue.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            await ProcessAsync(runId, stoppingToken).ConfigureAwait(false);
        }
    }

    internal async Task RecoverAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        foreach (var run in await db.Runs.Where(r => r.Status == RunStatus.Running).ToListAsync(ct).ConfigureAwait(false))
        {
            run.Status = RunStatus.Failed;
            run.Error = InterruptedMessage;
            run.FinishedAt = clock.GetUtcNow();
        }
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        foreach (var id in await db.Runs.Where(r => r.Status == RunStatus.Queued).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(ct).ConfigureAwait(false))
        {
            await queue.EnqueueAsync(id, ct).ConfigureAwait(false);
        }
    }

    public Task ProcessAsync(Guid runId, CancellationToken ct) => ProcessAsync(runId, null, ct);

    /// <summary>
    /// Solves a run whose sessions start on <paramref name="firstDay"/> (null: the next teaching day,
    /// where publishing takes effect by default). Only the demo seeder passes a day: it builds a
    /// county's history from a run made before the term began.
    /// </summary>
    public async Task ProcessAsync(Guid runId, DateOnly? firstDay, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var run = await db.Runs.SingleOrDefaultAsync(r => r.Id == runId, ct).ConfigureAwait(false);
        if (run is null || run.Status != RunStatus.Queued)
        {
            return;
        }
        if (run.CancelRequested)
        {
            run.Status = RunStatus.Cancelled;
            run.FinishedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            return;
        }
        run.Status = RunStatus.Running;
        run.StartedAt = clock.GetUtcNow();
        run.Progress = SolveFrom;
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        var measured = Telemetry.RunStarted();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var progress = new LatestProgress(SolveFrom);
        try
        {
            var solving = Task.Run(() => SolveAsync(db, run, firstDay, progress, cancel.Token), cancel.Token);
            await WatchAsync(runId, solving, progress, cancel, ct).ConfigureAwait(false);
            var outcome = await solving.ConfigureAwait(false);
            // Cancellation is asked for from another request: read the flag once more, the solve may have ended between two looks.
            if (await CancelRequestedAsync(runId, ct).ConfigureAwait(false))
            {
                throw new OperationCanceledException(cancel.Token);
            }
            db.Timetables.Add(outcome);
            run.Status = RunStatus.Succeeded;
            run.TimetableId = outcome.Id;
            run.Progress = 1;
            run.FinishedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            Telemetry.RunFinished(measured, RunStatus.Succeeded);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            db.ChangeTracker.Clear();
            var cancelled = await db.Runs.SingleAsync(r => r.Id == runId, ct).ConfigureAwait(false);
            cancelled.Status = RunStatus.Cancelled;
            cancelled.Progress = progress.Share;
            cancelled.FinishedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            Telemetry.RunFinished(measured, RunStatus.Cancelled);
        }
#pragma warning disable CA1031 // A failed run must be recorded as failed, whatever went wrong inside the solve.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            // The exception's type only: messages may carry a child's data and logs must not.
            RunLog.Failed(log, runId, ex.GetType().Name);
            db.ChangeTracker.Clear();
            var failed = await db.Runs.SingleAsync(r => r.Id == runId, ct).ConfigureAwait(false);
            failed.Status = RunStatus.Failed;
            failed.Error = ex is RunFailedException ? ex.Message : "排课失败（内部错误），请联系管理员";
            failed.FinishedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            Telemetry.RunFinished(measured, RunStatus.Failed);
        }
    }

    /// <summary>While the solve runs: writes its progress for the run page and stops it once somebody asks to cancel.</summary>
    private async Task WatchAsync(Guid runId, Task solving, LatestProgress progress, CancellationTokenSource cancel, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        while (!solving.IsCompleted)
        {
            // Real time, not the injected clock: this paces a loop, it records no instant.
            await Task.WhenAny(solving, Task.Delay(WatchInterval, ct)).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            var share = progress.Share;
            await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Running)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.Progress, share), ct).ConfigureAwait(false);
            if (!cancel.IsCancellationRequested && await db.Runs.AnyAsync(r => r.Id == runId && r.CancelRequested, ct).ConfigureAwait(false))
            {
                await cancel.CancelAsync().ConfigureAwait(false);
            }
        }
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
