using System.Security.Claims;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Timetables;

public sealed record StartRunRequest(Guid TermId);

public sealed record RunDto(Guid Id, Guid TermId, RunStatus Status, double Progress, string StartedBy, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt,
    string? Error, Guid? TimetableId, int RequiredSessions, int PlacedSessions, int UnassignedSessions, int TravelMinutes);

public sealed record UnassignedDto(Guid StudentId, string Mode, string ReasonCode, string ReasonMessage, string? AcknowledgedBy, string? AcknowledgementNote);

public sealed record TimetableDto(Guid Id, Guid TermId, Guid RunId, TimetableStatus Status, DateTimeOffset CreatedAt, string? PublishedBy, DateTimeOffset? PublishedAt,
    int TravelMinutes, int SessionCount, IReadOnlyList<UnassignedDto> Unassigned);

public sealed record SessionDto(Guid Id, string SessionKey, Guid StudentId, string Mode, string Week, DateOnly Date, TimeOnly Start, TimeOnly End,
    IReadOnlyList<Guid> StaffIds, SessionStatus Status, string? MovedBecause);

public sealed record AcknowledgeRequest(string? Note);

/// <summary>Timetable runs (background solves), the draft timetables they produce, and publishing.</summary>
public static class TimetableEndpoints
{
    public static IEndpointRouteBuilder MapTimetables(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/timetables").WithTags("Timetables");
        group.MapPost("/runs", StartRun).RequireAuthorization(Policies.Decide);
        group.MapGet("/runs/{id:guid}", GetRun);
        group.MapPost("/runs/{id:guid}/cancel", CancelRun).RequireAuthorization(Policies.Decide);
        group.MapGet("/", List);
        group.MapGet("/{id:guid}", Get);
        group.MapGet("/{id:guid}/sessions", Sessions);
        group.MapPost("/{id:guid}/unassigned/{studentId:guid}/acknowledge", Acknowledge).RequireAuthorization(Policies.Decide);
        group.MapPost("/{id:guid}/publish", Publish).RequireAuthorization(Policies.Decide);
        return app;
    }

    public static async Task<Results<Accepted<RunDto>, NotFound, ProblemHttpResult>> StartRun(
        StartRunRequest request, ClaimsPrincipal user, AppDbContext db, RunInbox queue, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var term = await db.Terms.AsNoTracking().SingleOrDefaultAsync(t => t.Id == new TermId(request.TermId) && t.CountyCode == caller.CountyCode, ct).ConfigureAwait(false);
        if (term is null)
        {
            return TypedResults.NotFound();
        }
        if (await db.Runs.AnyAsync(r => r.CountyCode == caller.CountyCode && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running), ct).ConfigureAwait(false))
        {
            return Problems.Conflict("run_in_progress", "本县已有排课在进行，请等它完成或取消后再开始");
        }
        var run = new TimetableRun { CountyCode = caller.CountyCode, TermId = term.Id, StartedBy = caller.UserName, CreatedAt = clock.GetUtcNow() };
        db.Runs.Add(run);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        await queue.EnqueueAsync(run.Id, ct).ConfigureAwait(false);
        return TypedResults.Accepted($"/api/timetables/runs/{run.Id}", ToDto(run));
    }

    public static async Task<Results<Ok<RunDto>, NotFound>> GetRun(Guid id, ClaimsPrincipal user, AppDbContext db, CancellationToken ct)
    {
        var county = Caller.From(user).CountyCode;
        var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id && r.CountyCode == county, ct).ConfigureAwait(false);
        return run is null ? TypedResults.NotFound() : TypedResults.Ok(ToDto(run));
    }

    public static async Task<Results<Ok<RunDto>, NotFound, ProblemHttpResult>> CancelRun(Guid id, ClaimsPrincipal user, AppDbContext db, CancellationToken ct)
    {
        var county = Caller.From(user).CountyCode;
        var run = await db.Runs.SingleOrDefaultAsync(r => r.Id == id && r.CountyCode == county, ct).ConfigureAwait(false);
        if (run is null)
        {
            return TypedResults.NotFound();
        }
        if (run.Status is not (RunStatus.Queued or RunStatus.Running))
        {
            return Problems.Conflict("run_finished", "排课已结束，不能取消");
        }
        run.CancelRequested = true;
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return TypedResults.Ok(ToDto(run));
    }

    public static async Task<Ok<List<TimetableDto>>> List(Guid? termId, ClaimsPrincipal user, AppDbContext db, CancellationToken ct)
    {
        var county = Caller.From(user).CountyCode;
        var query = db.Timetables.AsNoTracking().Where(t => t.CountyCode == county);
        if (termId is { } term)
        {
            query = query.Where(t => t.TermId == new TermId(term));
        }
        // SQLite cannot order by DateTimeOffset; a county has few timetables, so order them here.
        var timetables = (await query.ToListAsync(ct).ConfigureAwait(false)).OrderByDescending(t => t.CreatedAt).ToList();
        var counts = await db.Sessions.Where(s => timetables.Select(t => t.Id).Contains(s.TimetableId)).GroupBy(s => s.TimetableId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct).ConfigureAwait(false);
        return TypedResults.Ok(timetables.Select(t => ToDto(t, counts.GetValueOrDefault(t.Id))).ToList());
    }

    public static async Task<Results<Ok<TimetableDto>, NotFound>> Get(Guid id, ClaimsPrincipal user, AppDbContext db, CancellationToken ct)
    {
        var county = Caller.From(user).CountyCode;
        var timetable = await db.Timetables.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id && t.CountyCode == county, ct).ConfigureAwait(false);
        if (timetable is null)
        {
            return TypedResults.NotFound();
        }
        var count = await db.Sessions.CountAsync(s => s.TimetableId == id, ct).ConfigureAwait(false);
        return TypedResults.Ok(ToDto(timetable, count));
    }

    public static async Task<Results<Ok<List<SessionDto>>, NotFound>> Sessions(Guid id, string? week, ClaimsPrincipal user, AppDbContext db, CancellationToken ct)
    {
        var caller = Caller.From(user);
        if (!await db.Timetables.AnyAsync(t => t.Id == id && t.CountyCode == caller.CountyCode, ct).ConfigureAwait(false))
        {
            return TypedResults.NotFound();
        }
        var query = db.Sessions.AsNoTracking().Where(s => s.TimetableId == id);
        if (week is not null)
        {
            query = query.Where(s => s.Week == week);
        }
        var sessions = await query.OrderBy(s => s.Date).ThenBy(s => s.Start).ToListAsync(ct).ConfigureAwait(false);
        if (caller.Role == Roles.Teacher)
        {
            // A teacher sees only their own sessions.
            sessions = [.. sessions.Where(s => caller.StaffId is { } me && s.StaffIds.Contains(me.Value))];
        }
        return TypedResults.Ok(sessions.Select(s => new SessionDto(s.Id, s.SessionKey, s.StudentId.Value, s.Mode, s.Week, s.Date, s.Start, s.End, s.StaffIds, s.Status, s.MovedBecause)).ToList());
    }

    public static async Task<Results<Ok<TimetableDto>, NotFound, ProblemHttpResult>> Acknowledge(
        Guid id, Guid studentId, AcknowledgeRequest request, ClaimsPrincipal user, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var timetable = await db.Timetables.SingleOrDefaultAsync(t => t.Id == id && t.CountyCode == caller.CountyCode, ct).ConfigureAwait(false);
        if (timetable is null)
        {
            return TypedResults.NotFound();
        }
        var entries = timetable.Unassigned.Where(u => u.StudentId == new Domain.StudentId(studentId)).ToList();
        if (entries.Count == 0)
        {
            return TypedResults.NotFound();
        }
        if (timetable.Status != TimetableStatus.Draft)
        {
            return Problems.Conflict("not_a_draft", "只能在发布前确认未排学生");
        }
        foreach (var entry in entries)
        {
            entry.AcknowledgedBy = caller.UserName;
            entry.AcknowledgedAt = clock.GetUtcNow();
            entry.AcknowledgementNote = request.Note?.Trim();
        }
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return TypedResults.Ok(ToDto(timetable, await db.Sessions.CountAsync(s => s.TimetableId == id, ct).ConfigureAwait(false)));
    }

    public static async Task<Results<Ok<TimetableDto>, NotFound, ProblemHttpResult>> Publish(Guid id, ClaimsPrincipal user, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var timetable = await db.Timetables.SingleOrDefaultAsync(t => t.Id == id && t.CountyCode == caller.CountyCode, ct).ConfigureAwait(false);
        if (timetable is null)
        {
            return TypedResults.NotFound();
        }
        if (timetable.Status != TimetableStatus.Draft)
        {
            return Problems.Conflict("not_a_draft", "该课表已发布或已被替代");
        }
        var open = timetable.Unassigned.Where(u => u.AcknowledgedBy is null).ToList();
        if (open.Count > 0)
        {
            return Problems.Status(StatusCodes.Status409Conflict, "unacknowledged", $"还有 {open.Count} 名未排上的学生未确认原因，不能发布",
                [.. open.Select(u => new ApiError(u.ReasonCode, $"{u.StudentId}（{u.Mode}）：{u.ReasonMessage}"))]);
        }
        foreach (var previous in await db.Timetables.Where(t => t.CountyCode == caller.CountyCode && t.TermId == timetable.TermId && t.Status == TimetableStatus.Published).ToListAsync(ct).ConfigureAwait(false))
        {
            previous.Status = TimetableStatus.Superseded;
        }
        timetable.Status = TimetableStatus.Published;
        timetable.PublishedBy = caller.UserName;
        timetable.PublishedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return TypedResults.Ok(ToDto(timetable, await db.Sessions.CountAsync(s => s.TimetableId == id, ct).ConfigureAwait(false)));
    }

    private static RunDto ToDto(TimetableRun r) => new(r.Id, r.TermId.Value, r.Status, r.Progress, r.StartedBy, r.CreatedAt, r.FinishedAt, r.Error, r.TimetableId,
        r.RequiredSessions, r.PlacedSessions, r.UnassignedSessions, r.TravelMinutes);

    private static TimetableDto ToDto(Timetable t, int sessions) => new(t.Id, t.TermId.Value, t.RunId, t.Status, t.CreatedAt, t.PublishedBy, t.PublishedAt, t.TravelMinutes, sessions,
        [.. t.Unassigned.Select(u => new UnassignedDto(u.StudentId.Value, u.Mode, u.ReasonCode, u.ReasonMessage, u.AcknowledgedBy, u.AcknowledgementNote))]);
}
