using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Timetables;

/// <summary>排课: starting, watching and cancelling a county's background solve.</summary>
public sealed class TimetableRuns(AppDbContext db, CurrentUser me, RunInbox inbox, TimeProvider clock)
{
    public static Refusal InProgress() => Refusal.Conflict("run_in_progress", "本县已有排课在进行，请等它完成或取消后再开始");

    public async Task<Result<RunDto>> StartAsync(TermId termId, CancellationToken ct)
    {
        if (!me.May(Permission.ManageCounty))
        {
            return Refusal.NotAllowed();
        }
        if (!await db.Terms.AnyAsync(t => t.Id == termId && t.CountyCode == me.CountyCode, ct).ConfigureAwait(false))
        {
            return Refusal.NotFound();
        }
        var run = new TimetableRun { CountyCode = me.CountyCode, TermId = termId, StartedBy = me.UserName, CreatedAt = clock.GetUtcNow() };
        db.Runs.Add(run);
        try
        {
            // No read-then-write: the database's unique filtered index admits one queued or running run per county.
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch (DbUpdateException ex) when (DbErrors.IsConstraintViolation(ex))
        {
            db.Entry(run).State = EntityState.Detached;
            return InProgress();
        }
        // Any instance's worker may claim the run; this one's is told now, the others find it at their next poll.
        inbox.Nudge();
        return RunDto.From(run);
    }

    /// <summary>Any county role may watch a run: it names no child.</summary>
    public async Task<Result<RunDto>> GetAsync(Guid id, CancellationToken ct)
    {
        var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id && r.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
        return run is null ? Refusal.NotFound() : RunDto.From(run);
    }

    /// <summary>The county's newest run of a term, if any.</summary>
    public async Task<RunDto?> LatestAsync(TermId termId, CancellationToken ct)
    {
        // SQLite cannot order by DateTimeOffset: a county has few runs, so order them here.
        var runs = await db.Runs.AsNoTracking().Where(r => r.CountyCode == me.CountyCode && r.TermId == termId).ToListAsync(ct).ConfigureAwait(false);
        return runs.OrderByDescending(r => r.CreatedAt).Select(RunDto.From).FirstOrDefault();
    }

    /// <summary>
    /// Asks the worker to stop: the flag is in the run's row, and whichever instance solves the run reads it with its
    /// heartbeat and stops within about a second.
    /// </summary>
    public async Task<Result<RunDto>> CancelAsync(Guid id, CancellationToken ct)
    {
        if (!me.May(Permission.ManageCounty))
        {
            return Refusal.NotAllowed();
        }
        var run = await db.Runs.SingleOrDefaultAsync(r => r.Id == id && r.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
        if (run is null)
        {
            return Refusal.NotFound();
        }
        if (run.Status is not (RunStatus.Queued or RunStatus.Running))
        {
            return Refusal.Conflict("run_finished", "排课已结束，不能取消");
        }
        run.CancelRequested = true;
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return RunDto.From(run);
    }
}
