using FluentValidation;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Calendar;

/// <summary>学期 and 校历: the county's terms and their teaching weeks.</summary>
public sealed class TermBook(AppDbContext db, CurrentUser me, HolidayCalendar holidays)
{
    public const int MaxTermDays = 200;

    private static readonly int[] DefaultTeachingWeekdays = [1, 2, 3, 4, 5];

    private static readonly TermRules Rules = new();

    /// <summary>A term is a named span of at most <see cref="MaxTermDays"/> days in 2000–2100 with distinct teaching weekdays.</summary>
    private sealed class TermRules : AbstractValidator<CreateTermRequest>
    {
        public TermRules()
        {
            RuleFor(r => r.Name).Name("学期名称");
            RuleFor(r => r.FirstDay).Sane("学期开始日");
            RuleFor(r => r.LastDay).Sane("学期结束日")
                .Must((r, last) => last >= r.FirstDay).WithMessage("学期结束日不能早于开始日")
                .Must((r, last) => last < r.FirstDay || last.DayNumber - r.FirstDay.DayNumber <= MaxTermDays).WithMessage($"一个学期不超过 {MaxTermDays} 天");
            RuleFor(r => r.TeachingWeekdays)
                .Must(d => d is null || (d.Count > 0 && d.All(x => x is >= 1 and <= 7) && d.Distinct().Count() == d.Count))
                .WithMessage("教学日须为 1（周一）到 7（周日）中不重复的几天");
        }
    }

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
        if (Validation.Check(Rules, request) is { } invalid)
        {
            return invalid;
        }
        var weekdays = request.TeachingWeekdays ?? DefaultTeachingWeekdays;
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
