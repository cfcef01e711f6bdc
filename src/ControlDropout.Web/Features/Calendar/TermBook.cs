using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Calendar;

/// <summary>学期 and 校历: the county's terms and their teaching weeks.</summary>
public sealed class TermBook(AppDbContext db, CurrentUser me, HolidayCalendar holidays)
{
    public const int MaxTermDays = 200;

    public async Task<Result<List<TermDto>>> ListAsync(CancellationToken ct)
    {
        var terms = await db.Terms.AsNoTracking().Where(t => t.CountyCode == me.CountyCode).OrderBy(t => t.FirstDay).ToListAsync(ct).ConfigureAwait(false);
        return terms.Select(TermDto.From).ToList();
    }

    public async Task<Result<TermDto>> CreateAsync(CreateTermRequest request, CancellationToken ct)
    {
        if (!me.May(Permission.ManageCounty))
        {
            return Refusal.NotAllowed();
        }
        var errors = new List<ApiError>();
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            errors.Add(new("name", "请填写学期名称"));
        }
        if (request.LastDay < request.FirstDay)
        {
            errors.Add(new("lastDay", "学期结束日不能早于开始日"));
        }
        else if (request.LastDay.DayNumber - request.FirstDay.DayNumber > MaxTermDays)
        {
            errors.Add(new("lastDay", $"一个学期不超过 {MaxTermDays} 天"));
        }
        var weekdays = request.TeachingWeekdays ?? [1, 2, 3, 4, 5];
        if (weekdays.Count == 0 || weekdays.Any(d => d is < 1 or > 7) || weekdays.Distinct().Count() != weekdays.Count)
        {
            errors.Add(new("teachingWeekdays", "教学日须为 1（周一）到 7（周日）中不重复的几天"));
        }
        if (errors.Count > 0)
        {
            return Refusal.Invalid(errors);
        }
        var term = new Term { Id = TermId.New(), CountyCode = me.CountyCode, Name = request.Name.Trim(), FirstDay = request.FirstDay, LastDay = request.LastDay, TeachingWeekdays = [.. weekdays.Order()] };
        db.Terms.Add(term);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return TermDto.From(term);
    }

    /// <summary>A term's teaching weeks in the county, or in one township (its closures too), with the years whose holidays are not yet published.</summary>
    public async Task<Result<CalendarDto>> CalendarAsync(TermId id, string? township, CancellationToken ct)
    {
        var term = await db.Terms.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id && t.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
        if (term is null)
        {
            return Refusal.NotFound();
        }
        var closures = await db.Closures.AsNoTracking().Where(c => c.CountyCode == me.CountyCode && c.LastDay >= term.FirstDay && c.FirstDay <= term.LastDay).ToListAsync(ct).ConfigureAwait(false);
        var weeks = TermCalendar.Weeks(term, holidays, closures, township);
        var unknownYears = weeks.SelectMany(w => w.Days).Where(d => d.Kind is DayKind.Unknown or DayKind.Provisional).Select(d => d.Date.Year).Distinct().Order();
        var warnings = unknownYears.Select(y => $"{y}年节假日安排尚未发布（或未收录）：这些日期未定，发布后请更新校历并重新排课").ToList();
        return new CalendarDto(term.Id.Value, township,
            [.. weeks.Select(w => new CalendarWeekDto(w.Week, w.Monday, w.TeachingDays, w.Exempt, w.Unconfirmed, w.Days))], warnings);
    }
}
