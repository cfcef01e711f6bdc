using FluentValidation;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Feeds;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Timetables;

/// <summary>课表: reading the county's timetables and their sessions, acknowledging who is not covered, publishing.</summary>
public sealed class TimetableReview(AppDbContext db, CurrentUser me, TimeProvider clock, HolidayCalendar holidays, TimetableTables tables, StoredFeeds feeds)
{
    private static readonly InlineValidator<AcknowledgeRequest> NoteRules = new() { v => v.RuleFor(r => r.Note).FreeText("确认说明") };

    public async Task<Result<List<TimetableDto>>> ListAsync(TermId? termId, CancellationToken ct)
    {
        var query = db.Timetables.AsNoTracking().Where(t => t.CountyCode == me.CountyCode);
        if (termId is { } term)
        {
            query = query.Where(t => t.TermId == term);
        }
        // SQLite cannot order by DateTimeOffset; a county has few timetables, so order them here.
        var timetables = (await query.ToListAsync(ct).ConfigureAwait(false)).OrderByDescending(t => t.CreatedAt).ToList();
        var ids = timetables.Select(t => t.Id).ToList();
        var counts = await db.Sessions.Where(s => ids.Contains(s.TimetableId)).GroupBy(s => s.TimetableId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct).ConfigureAwait(false);
        return timetables.Select(t => TimetableDto.From(t, counts.GetValueOrDefault(t.Id))).ToList();
    }

    public async Task<Result<TimetableDto>> GetAsync(Guid id, CancellationToken ct)
    {
        var timetable = await db.Timetables.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id && t.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
        return timetable is null ? Refusal.NotFound() : TimetableDto.From(timetable, await CountAsync(id, ct).ConfigureAwait(false));
    }

    /// <summary>The timetable's sessions the caller may see (<see cref="SessionScope"/>): a coordinator only their school's children, a teacher only their own.</summary>
    public async Task<Result<List<SessionDto>>> SessionsAsync(Guid id, string? week, CancellationToken ct)
    {
        if (!await db.Timetables.AnyAsync(t => t.Id == id && t.CountyCode == me.CountyCode, ct).ConfigureAwait(false))
        {
            return Refusal.NotFound();
        }
        var query = db.Sessions.AsNoTracking().Where(s => s.TimetableId == id).VisibleTo(me, db);
        if (week is not null)
        {
            query = query.Where(s => s.Week == week);
        }
        var sessions = await query.OrderBy(s => s.Date).ThenBy(s => s.Start).ToListAsync(ct).ConfigureAwait(false);
        var grace = (await db.Policies.AsNoTracking().SingleOrDefaultAsync(p => p.CountyCode == me.CountyCode, ct).ConfigureAwait(false))?.MissedGraceHours ?? CountyPolicy.DefaultMissedGraceHours;
        return sessions.Select(s => SessionDto.From(s, clock.GetUtcNow(), grace)).ToList();
    }

    public async Task<Result<TimetableDto>> AcknowledgeAsync(Guid id, StudentId studentId, string? note, CancellationToken ct)
    {
        if (!me.May(Permission.ManageCounty))
        {
            return Refusal.NotAllowed();
        }
        if (Validation.Check(NoteRules, new AcknowledgeRequest(note)) is { } invalid)
        {
            return invalid;
        }
        var timetable = await db.Timetables.SingleOrDefaultAsync(t => t.Id == id && t.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
        var entries = timetable?.Unassigned.Where(u => u.StudentId == studentId).ToList() ?? [];
        if (timetable is null || entries.Count == 0)
        {
            return Refusal.NotFound();
        }
        if (timetable.Status != TimetableStatus.Draft)
        {
            return Refusal.Conflict("not_a_draft", "只能在发布前确认未排学生");
        }
        foreach (var entry in entries)
        {
            entry.AcknowledgedBy = me.UserName;
            entry.AcknowledgedAt = clock.GetUtcNow();
            entry.AcknowledgementNote = note?.Trim();
        }
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return TimetableDto.From(timetable, await CountAsync(id, ct).ConfigureAwait(false));
    }

    /// <summary>
    /// Publishes a draft from <paramref name="effectiveFrom"/> (default: the next teaching day; never
    /// today or before): the version in force keeps every day before it, and the draft governs only
    /// from then on (<see cref="TimetableVersions"/>).
    /// </summary>
    public async Task<Result<TimetableDto>> PublishAsync(Guid id, DateOnly? effectiveFrom, CancellationToken ct)
    {
        if (!me.May(Permission.ManageCounty))
        {
            return Refusal.NotAllowed();
        }
        var timetable = await db.Timetables.Include(t => t.Sessions).SingleOrDefaultAsync(t => t.Id == id && t.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
        if (timetable is null)
        {
            return Refusal.NotFound();
        }
        if (timetable.Status != TimetableStatus.Draft)
        {
            return Refusal.Conflict("not_a_draft", "该课表已发布或已被替代");
        }
        var today = Conventions.ChinaDay(clock.GetUtcNow());
        var term = await db.Terms.AsNoTracking().SingleAsync(t => t.Id == timetable.TermId, ct).ConfigureAwait(false);
        if (effectiveFrom is { } chosen && (chosen <= today || chosen > term.LastDay))
        {
            return Refusal.Invalid("effectiveFrom", $"生效日期须在今天（{today:yyyy-MM-dd}）之后、学期结束（{term.LastDay:yyyy-MM-dd}）之前：已过去的课表不能改写");
        }
        var open = timetable.Unassigned.Where(u => u.AcknowledgedBy is null).ToList();
        if (open.Count > 0)
        {
            return new Refusal(StatusCodes.Status409Conflict, "unacknowledged", $"还有 {open.Count} 名未排上的学生未确认原因，不能发布",
                [.. open.Select(u => new ApiError(u.ReasonCode, $"{u.StudentId}（{u.Mode}）：{u.ReasonMessage}"))]);
        }
        var from = effectiveFrom ?? await NextTeachingDayAsync(term, today, ct).ConfigureAwait(false);
        var previous = await db.Timetables.Include(t => t.Sessions).Where(t => t.CountyCode == me.CountyCode && t.TermId == timetable.TermId && t.Status == TimetableStatus.Published)
            .ToListAsync(ct).ConfigureAwait(false);
        var drafted = timetable.Sessions.ToHashSet();
        TimetableVersions.Compose(timetable, [.. previous.SelectMany(p => p.Sessions)], from, clock.GetUtcNow());
        // Copies carried over from the version in force are new rows; the draft's own rows are already tracked.
        db.Sessions.AddRange(timetable.Sessions.Where(s => !drafted.Contains(s)));
        foreach (var p in previous)
        {
            p.Status = TimetableStatus.Superseded;
        }
        timetable.Status = TimetableStatus.Published;
        timetable.PublishedBy = me.UserName;
        timetable.PublishedAt = clock.GetUtcNow();
        // The county's feeds are written with the publish: the first request after it only reads.
        await feeds.SaveForCountyAsync(me.CountyCode, ct).ConfigureAwait(false);
        return TimetableDto.From(timetable, await CountAsync(id, ct).ConfigureAwait(false));
    }

    /// <summary>
    /// 发布前的变化: what publishing the draft from the next teaching day would change against the version in
    /// force — children whose team, day or start changes, newly covered or no longer covered, and teachers whose
    /// week changes (<see cref="TimetableTables.ChangesAsync"/>). Scoped as the timetable's sessions are.
    /// </summary>
    public async Task<Result<TimetableChangesDto>> ChangesAsync(Guid id, CancellationToken ct)
    {
        var termId = await db.Timetables.AsNoTracking().Where(t => t.Id == id && t.CountyCode == me.CountyCode).Select(t => (TermId?)t.TermId).SingleOrDefaultAsync(ct).ConfigureAwait(false);
        if (termId is null)
        {
            return Refusal.NotFound();
        }
        var term = await db.Terms.AsNoTracking().SingleAsync(t => t.Id == termId, ct).ConfigureAwait(false);
        var from = await NextTeachingDayAsync(term, Conventions.ChinaDay(clock.GetUtcNow()), ct).ConfigureAwait(false);
        return await tables.ChangesAsync(id, from, ct).ConfigureAwait(false);
    }

    /// <summary>The first county teaching day after today (county-wide closures count); the day after today when the term has none left.</summary>
    public async Task<DateOnly> NextTeachingDayAsync(Term term, DateOnly today, CancellationToken ct)
    {
        var closures = await db.Closures.AsNoTracking().Where(c => c.CountyCode == term.CountyCode && c.TownshipCode == null).ToListAsync(ct).ConfigureAwait(false);
        return TermCalendar.FirstTeachingDay(TermCalendar.Weeks(term, holidays, closures), today.AddDays(1)) ?? today.AddDays(1);
    }

    private Task<int> CountAsync(Guid id, CancellationToken ct) => db.Sessions.CountAsync(s => s.TimetableId == id, ct);
}
