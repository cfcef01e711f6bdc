using System.Security.Claims;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Calendar;

public sealed record TermDto(Guid Id, string Name, DateOnly FirstDay, DateOnly LastDay, IReadOnlyList<int> TeachingWeekdays);

public sealed record CreateTermRequest(string Name, DateOnly FirstDay, DateOnly LastDay, IReadOnlyList<int>? TeachingWeekdays);

public sealed record CalendarDto(Guid TermId, string? TownshipCode, IReadOnlyList<CalendarWeekDto> Weeks, IReadOnlyList<string> Warnings);

public sealed record CalendarWeekDto(string Week, DateOnly Monday, int TeachingDays, bool Exempt, bool Unconfirmed, IReadOnlyList<CalendarDay> Days);

public sealed record ClosureRequest(string? TownshipCode, DateOnly FirstDay, DateOnly LastDay, string Reason);

public sealed record ClosureDto(Guid Id, string? TownshipCode, DateOnly FirstDay, DateOnly LastDay, string Reason, string CreatedBy);

public sealed record ClosureResult(ClosureDto Closure, Timetables.ReplanResult Replan);

/// <summary>学期 and 校历: terms, their teaching weeks, and local closures.</summary>
public static class TermEndpoints
{
    public const int MaxTermDays = 200;

    public static IEndpointRouteBuilder MapTerms(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/terms").WithTags("Terms");
        group.MapGet("/", List);
        group.MapPost("/", Create).RequireAuthorization(Policies.Decide);
        group.MapGet("/{id:guid}/calendar", Calendar);
        group.MapGet("/{id:guid}/closures", Closures);
        group.MapPost("/{id:guid}/closures", AddClosure).RequireAuthorization(Policies.Decide);
        return app;
    }

    public static async Task<Ok<List<TermDto>>> List(ClaimsPrincipal user, AppDbContext db, CancellationToken ct)
    {
        var county = Caller.From(user).CountyCode;
        var terms = await db.Terms.AsNoTracking().Where(t => t.CountyCode == county).OrderBy(t => t.FirstDay).ToListAsync(ct).ConfigureAwait(false);
        return TypedResults.Ok(terms.Select(ToDto).ToList());
    }

    public static async Task<Results<Created<TermDto>, ValidationProblem>> Create(CreateTermRequest request, ClaimsPrincipal user, AppDbContext db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            errors["name"] = ["请填写学期名称"];
        }
        if (request.LastDay < request.FirstDay)
        {
            errors["lastDay"] = ["学期结束日不能早于开始日"];
        }
        else if (request.LastDay.DayNumber - request.FirstDay.DayNumber > MaxTermDays)
        {
            errors["lastDay"] = [$"一个学期不超过 {MaxTermDays} 天"];
        }
        var weekdays = request.TeachingWeekdays ?? [1, 2, 3, 4, 5];
        if (weekdays.Count == 0 || weekdays.Any(d => d is < 1 or > 7) || weekdays.Distinct().Count() != weekdays.Count)
        {
            errors["teachingWeekdays"] = ["教学日须为 1（周一）到 7（周日）中不重复的几天"];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var term = new Term { Id = TermId.New(), CountyCode = Caller.From(user).CountyCode, Name = request.Name.Trim(), FirstDay = request.FirstDay, LastDay = request.LastDay, TeachingWeekdays = [.. weekdays.Order()] };
        db.Terms.Add(term);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return TypedResults.Created($"/api/terms/{term.Id}", ToDto(term));
    }

    public static async Task<Results<Ok<CalendarDto>, NotFound>> Calendar(Guid id, string? township, ClaimsPrincipal user, AppDbContext db, HolidayCalendar holidays, CancellationToken ct)
    {
        var county = Caller.From(user).CountyCode;
        var term = await db.Terms.AsNoTracking().SingleOrDefaultAsync(t => t.Id == new TermId(id) && t.CountyCode == county, ct).ConfigureAwait(false);
        if (term is null)
        {
            return TypedResults.NotFound();
        }
        var closures = await db.Closures.AsNoTracking().Where(c => c.CountyCode == county && c.LastDay >= term.FirstDay && c.FirstDay <= term.LastDay).ToListAsync(ct).ConfigureAwait(false);
        var weeks = TermCalendar.Weeks(term, holidays, closures, township);
        var unknownYears = weeks.SelectMany(w => w.Days).Where(d => d.Kind is DayKind.Unknown or DayKind.Provisional).Select(d => d.Date.Year).Distinct().Order();
        var warnings = unknownYears.Select(y => $"{y}年节假日安排尚未发布（或未收录）：这些日期未定，发布后请更新校历并重新排课").ToList();
        return TypedResults.Ok(new CalendarDto(term.Id.Value, township,
            [.. weeks.Select(w => new CalendarWeekDto(w.Week, w.Monday, w.TeachingDays, w.Exempt, w.Unconfirmed, w.Days))], warnings));
    }

    public static async Task<Results<Ok<List<ClosureDto>>, NotFound>> Closures(Guid id, ClaimsPrincipal user, AppDbContext db, CancellationToken ct)
    {
        var county = Caller.From(user).CountyCode;
        var term = await db.Terms.AsNoTracking().SingleOrDefaultAsync(t => t.Id == new TermId(id) && t.CountyCode == county, ct).ConfigureAwait(false);
        if (term is null)
        {
            return TypedResults.NotFound();
        }
        var closures = await db.Closures.AsNoTracking()
            .Where(c => c.CountyCode == county && c.LastDay >= term.FirstDay && c.FirstDay <= term.LastDay)
            .OrderBy(c => c.FirstDay).ToListAsync(ct).ConfigureAwait(false);
        return TypedResults.Ok(closures.Select(c => new ClosureDto(c.Id, c.TownshipCode, c.FirstDay, c.LastDay, c.Reason, c.CreatedBy)).ToList());
    }

    public static async Task<Results<Created<ClosureResult>, NotFound, ValidationProblem>> AddClosure(
        Guid id, ClosureRequest request, ClaimsPrincipal user, AppDbContext db, Timetables.Replanner replanner, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var term = await db.Terms.AsNoTracking().SingleOrDefaultAsync(t => t.Id == new TermId(id) && t.CountyCode == caller.CountyCode, ct).ConfigureAwait(false);
        if (term is null)
        {
            return TypedResults.NotFound();
        }
        var errors = DateSpanRules.Check(request.FirstDay, request.LastDay, request.Reason, "停课");
        if (request.LastDay >= request.FirstDay && (request.LastDay < term.FirstDay || request.FirstDay > term.LastDay))
        {
            errors["firstDay"] = ["停课日期不在本学期内"];
        }
        if (request.TownshipCode is { } township && !await db.Townships.AnyAsync(t => t.Code == township && t.CountyCode == caller.CountyCode, ct).ConfigureAwait(false))
        {
            errors["townshipCode"] = [$"本县没有乡镇代码 {township}"];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var closure = new Closure
        {
            CountyCode = caller.CountyCode, TownshipCode = request.TownshipCode, FirstDay = request.FirstDay, LastDay = request.LastDay,
            Reason = request.Reason.Trim(), CreatedBy = caller.UserName, CreatedAt = clock.GetUtcNow(),
        };
        db.Closures.Add(closure);
        var replan = await replanner.ReplanAsync(caller.CountyCode,
            new Timetables.Disruption($"停课：{closure.Reason}（{closure.FirstDay:M月d日}–{closure.LastDay:M月d日}）", closure.FirstDay, closure.LastDay, null, closure), ct).ConfigureAwait(false);
        // The closure and the re-planned version are saved together.
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return TypedResults.Created($"/api/terms/{id}/closures",
            new ClosureResult(new ClosureDto(closure.Id, closure.TownshipCode, closure.FirstDay, closure.LastDay, closure.Reason, closure.CreatedBy), replan));
    }

    private static TermDto ToDto(Term t) => new(t.Id.Value, t.Name, t.FirstDay, t.LastDay, t.TeachingWeekdays);
}
