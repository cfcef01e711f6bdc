using System.Globalization;
using System.Security.Claims;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Visits;

public sealed record VisitRequest(
    string SessionKey, DateOnly Date, string Start, string End, IReadOnlyList<Guid>? StaffPresent, VisitPlace Place,
    string? Content, IReadOnlyList<string>? GoalsAddressed, string? ChildResponse, string? GuardianFeedback, string? GuardianName,
    string? HomeTask, bool Missed, string? MissedReason, DateOnly? MakeUpDate, string? CorrectionReason);

public sealed record VisitDto(
    Guid Id, string SessionKey, Guid StudentId, int Version, Guid? PreviousId, string? CorrectionReason, DateOnly Date, string Start, string End,
    IReadOnlyList<Guid> StaffPresent, string Mode, VisitPlace Place, string Content, IReadOnlyList<string> GoalsAddressed, string ChildResponse,
    string GuardianFeedback, string GuardianName, string HomeTask, bool Missed, string? MissedReason, DateOnly? MakeUpDate,
    string RecordedBy, DateTimeOffset RecordedAt, IReadOnlyList<string> Flags);

/// <summary>送教记录: recorded against published sessions by their team (or the school's coordinator), flagged when they look wrong.</summary>
public static class VisitEndpoints
{
    /// <summary>Within this time a record may be corrected in place; after it, a correction is a new version with a reason.</summary>
    public static readonly TimeSpan CorrectInPlace = TimeSpan.FromHours(24);

    public static IEndpointRouteBuilder MapVisits(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/visits").WithTags("Visits");
        group.MapPost("/", Record);
        group.MapPut("/{id:guid}", Correct);
        group.MapGet("/", List);
        return app;
    }

    private static async Task<(TimetableSession? Session, bool MayRecord)> SessionAsync(Caller caller, AppDbContext db, string key, CancellationToken ct)
    {
        var published = db.Timetables.Where(t => t.CountyCode == caller.CountyCode && t.Status == Domain.TimetableStatus.Published).Select(t => t.Id);
        var session = await db.Sessions.AsNoTracking().Where(s => published.Contains(s.TimetableId) && s.SessionKey == key).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (session is null)
        {
            return (null, false);
        }
        var mayRecord = caller.Role switch
        {
            Roles.Teacher => caller.StaffId is { } me && session.StaffIds.Contains(me.Value),
            Roles.Coordinator => await db.Students.AnyAsync(s => s.Id == session.StudentId && s.SchoolOfRecordId == caller.SchoolId, ct).ConfigureAwait(false),
            _ => false,
        };
        return (session, mayRecord);
    }

    private static Dictionary<string, string[]> Validate(VisitRequest r, out TimeOnly start, out TimeOnly end)
    {
        var errors = new Dictionary<string, string[]>();
        var startOk = TimeOnly.TryParseExact(r.Start, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out start);
        var endOk = TimeOnly.TryParseExact(r.End, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out end);
        if (!startOk)
        {
            errors["start"] = ["开始时间请用 HH:mm"];
        }
        if (!endOk)
        {
            errors["end"] = ["结束时间请用 HH:mm"];
        }
        if (startOk && endOk && start >= end)
        {
            errors["end"] = ["结束时间须晚于开始时间"];
        }
        if (r.Missed && string.IsNullOrWhiteSpace(r.MissedReason))
        {
            errors["missedReason"] = ["未送教须填写原因"];
        }
        if (!r.Missed && (r.StaffPresent ?? []).Count == 0)
        {
            errors["staffPresent"] = ["请选择到场人员"];
        }
        return errors;
    }

    public static async Task<Results<Created<VisitDto>, NotFound, ValidationProblem, ProblemHttpResult>> Record(
        VisitRequest request, ClaimsPrincipal user, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var (session, mayRecord) = await SessionAsync(caller, db, request.SessionKey, ct).ConfigureAwait(false);
        if (session is null)
        {
            return TypedResults.NotFound();
        }
        if (!mayRecord)
        {
            return Problems.Forbidden("not_your_session", "只有该课次的送教团队成员或本校协调员可以记录");
        }
        var errors = Validate(request, out var start, out var end);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        if (await db.Visits.AnyAsync(v => v.SessionKey == request.SessionKey, ct).ConfigureAwait(false))
        {
            return Problems.Conflict("already_recorded", "该课次已有记录；如需更正请修改原记录");
        }
        var record = Build(request, session, caller, clock, start, end, version: 1, previous: null);
        db.Visits.Add(record);
        try
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // The same visit sent twice at once (a phone retrying on a weak signal): the first one stands.
            return Problems.Conflict("already_recorded", "该课次已有记录；如需更正请修改原记录");
        }
        return TypedResults.Created($"/api/visits/{record.Id}", (await ToDtoAsync(db, [record], ct).ConfigureAwait(false))[0]);
    }

    public static async Task<Results<Ok<VisitDto>, NotFound, ValidationProblem, ProblemHttpResult>> Correct(
        Guid id, VisitRequest request, ClaimsPrincipal user, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var current = await db.Visits.SingleOrDefaultAsync(v => v.Id == id && v.CountyCode == caller.CountyCode, ct).ConfigureAwait(false);
        if (current is null || await db.Visits.AnyAsync(v => v.SessionKey == current.SessionKey && v.Version > current.Version, ct).ConfigureAwait(false))
        {
            return TypedResults.NotFound();
        }
        var (session, mayRecord) = await SessionAsync(caller, db, current.SessionKey, ct).ConfigureAwait(false);
        if (session is null)
        {
            return TypedResults.NotFound();
        }
        if (!mayRecord)
        {
            return Problems.Forbidden("not_your_session", "只有该课次的送教团队成员或本校协调员可以记录");
        }
        var errors = Validate(request, out var start, out var end);
        var late = clock.GetUtcNow() - current.RecordedAt > CorrectInPlace;
        if (late && string.IsNullOrWhiteSpace(request.CorrectionReason))
        {
            errors["correctionReason"] = ["记录已超过 24 小时，更正须填写原因"];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        VisitRecord result;
        if (late)
        {
            // After 24 hours the record as first written stays; the correction is a new version.
            result = Build(request with { SessionKey = current.SessionKey }, session, caller, clock, start, end, current.Version + 1, current);
            db.Visits.Add(result);
        }
        else
        {
            var fresh = Build(request with { SessionKey = current.SessionKey }, session, caller, clock, start, end, current.Version, null);
            (current.Date, current.Start, current.End, current.StaffPresent, current.Place, current.Content, current.GoalsAddressed) =
                (fresh.Date, fresh.Start, fresh.End, fresh.StaffPresent, fresh.Place, fresh.Content, fresh.GoalsAddressed);
            (current.ChildResponse, current.GuardianFeedback, current.GuardianName, current.HomeTask, current.Missed, current.MissedReason, current.MakeUpDate) =
                (fresh.ChildResponse, fresh.GuardianFeedback, fresh.GuardianName, fresh.HomeTask, fresh.Missed, fresh.MissedReason, fresh.MakeUpDate);
            result = current;
        }
        try
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            return Problems.Conflict("already_corrected", "该记录刚被他人更正，请刷新");
        }
        return TypedResults.Ok((await ToDtoAsync(db, [result], ct).ConfigureAwait(false))[0]);
    }

    public static async Task<Ok<List<VisitDto>>> List(Guid? studentId, DateOnly? from, DateOnly? to, bool? flagged, ClaimsPrincipal user, AppDbContext db, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var query = db.Visits.AsNoTracking().Where(v => v.CountyCode == caller.CountyCode);
        if (studentId is { } s)
        {
            query = query.Where(v => v.StudentId == new Domain.StudentId(s));
        }
        if (from is { } f)
        {
            query = query.Where(v => v.Date >= f);
        }
        if (to is { } t)
        {
            query = query.Where(v => v.Date <= t);
        }
        var visits = await query.ToListAsync(ct).ConfigureAwait(false);
        if (caller.Role == Roles.Teacher)
        {
            visits = [.. visits.Where(v => caller.StaffId is { } me && v.StaffPresent.Contains(me.Value))];
        }
        else if (caller.Role == Roles.Coordinator)
        {
            var mine = await db.Students.Where(x => x.SchoolOfRecordId == caller.SchoolId).Select(x => x.Id).ToListAsync(ct).ConfigureAwait(false);
            visits = [.. visits.Where(v => mine.Contains(v.StudentId))];
        }
        var dtos = await ToDtoAsync(db, visits, ct).ConfigureAwait(false);
        return TypedResults.Ok(dtos.Where(d => flagged is null || (d.Flags.Count > 0) == flagged).OrderBy(d => d.Date).ThenBy(d => d.Start, StringComparer.Ordinal).ToList());
    }

    private static VisitRecord Build(VisitRequest r, TimetableSession session, Caller caller, TimeProvider clock, TimeOnly start, TimeOnly end, int version, VisitRecord? previous) => new()
    {
        CountyCode = caller.CountyCode, SessionKey = session.SessionKey, StudentId = session.StudentId, Version = version, PreviousId = previous?.Id,
        CorrectionReason = previous is null ? null : r.CorrectionReason?.Trim(), Date = r.Date, Start = start, End = end,
        StaffPresent = [.. r.StaffPresent ?? []], Mode = session.Mode, Place = r.Place, Content = r.Content?.Trim() ?? "",
        GoalsAddressed = [.. r.GoalsAddressed ?? []], ChildResponse = r.ChildResponse?.Trim() ?? "", GuardianFeedback = r.GuardianFeedback?.Trim() ?? "",
        GuardianName = r.GuardianName?.Trim() ?? "", HomeTask = r.HomeTask?.Trim() ?? "", Missed = r.Missed, MissedReason = r.MissedReason?.Trim(),
        MakeUpDate = r.MakeUpDate, RecordedBy = caller.UserName, RecordedAt = clock.GetUtcNow(),
    };

    /// <summary>Records as shown, each with its flags computed against the records around it.</summary>
    private static async Task<List<VisitDto>> ToDtoAsync(AppDbContext db, List<VisitRecord> visits, CancellationToken ct)
    {
        if (visits.Count == 0)
        {
            return [];
        }
        var county = visits[0].CountyCode;
        var dates = visits.Select(v => v.Date).Distinct().ToList();
        var sameDays = await db.Visits.AsNoTracking().Where(v => v.CountyCode == county && dates.Contains(v.Date)).ToListAsync(ct).ConfigureAwait(false);
        // Only each session's newest version counts as what happened.
        sameDays = [.. sameDays.GroupBy(v => v.SessionKey).Select(g => g.OrderByDescending(v => v.Version).First())];
        var studentIds = visits.Concat(sameDays).Select(v => v.StudentId).Distinct().ToList();
        var students = await db.Students.AsNoTracking().Where(s => studentIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct).ConfigureAwait(false);
        var staff = await db.Staff.AsNoTracking().Where(s => s.CountyCode == county).ToDictionaryAsync(s => s.Id.Value, ct).ConfigureAwait(false);
        var leave = await db.Leave.AsNoTracking().Where(l => l.CountyCode == county).ToListAsync(ct).ConfigureAwait(false);
        var policy = await db.Policies.FindAsync([county], ct).ConfigureAwait(false) ?? CountyPolicy.LincangDefault(county);
        var plans = await db.Plans.AsNoTracking().Include(p => p.Versions).Where(p => studentIds.Contains(p.StudentId)).ToListAsync(ct).ConfigureAwait(false);
        int Planned(Domain.StudentId id) => (plans.Where(p => p.StudentId == id).SelectMany(p => p.Versions)
            .Where(v => v.Status is PlanStatus.Approved or PlanStatus.Active).OrderByDescending(v => v.Number).FirstOrDefault()?.LessonsPerVisit ?? 0) * policy.LessonMinutes;
        var context = new VisitFlags.Context(students, staff, leave, Planned, sameDays);
        return [.. visits.Select(v => new VisitDto(v.Id, v.SessionKey, v.StudentId.Value, v.Version, v.PreviousId, v.CorrectionReason, v.Date,
            v.Start.ToString("HH:mm", CultureInfo.InvariantCulture), v.End.ToString("HH:mm", CultureInfo.InvariantCulture), v.StaffPresent, v.Mode, v.Place,
            v.Content, v.GoalsAddressed, v.ChildResponse, v.GuardianFeedback, v.GuardianName, v.HomeTask, v.Missed, v.MissedReason, v.MakeUpDate,
            v.RecordedBy, v.RecordedAt, VisitFlags.For(v, context)))];
    }
}
