using ControlDropout.Web.Infrastructure;
using System.Globalization;
using ControlDropout.Web.Domain;

namespace ControlDropout.Web.Features.Calendar;

/// <summary>Why a date of the term is or is not taught.</summary>
public enum DayKind
{
    /// <summary>教学日</summary>
    Teaching,
    /// <summary>调休上班: taught although a weekend day.</summary>
    MakeUpWorkday,
    /// <summary>周末 or a weekday the term does not teach.</summary>
    NotATeachingWeekday,
    /// <summary>法定节假日</summary>
    Holiday,
    /// <summary>停课 (a local closure).</summary>
    Closed,
    /// <summary>A weekend day of a year whose holiday notice is not published: it may yet become a 调休 workday.</summary>
    Unknown,
    /// <summary>
    /// A term weekday of a year whose holiday notice is not published. Planned as taught — teachers need
    /// next month's sessions before the State Council's notice arrives — and shown as provisional.
    /// </summary>
    Provisional,
}

public sealed record CalendarDay(DateOnly Date, DayKind Kind, string? Note)
{
    public bool IsTeaching => Kind is DayKind.Teaching or DayKind.MakeUpWorkday or DayKind.Provisional;
}

/// <summary>
/// An ISO week of the term. A teaching week has at least one teaching day; a week with none is exempt
/// from the weekly minimum. A week with a day of an unpublished year is unconfirmed.
/// </summary>
public sealed record CalendarWeek(string Week, DateOnly Monday, IReadOnlyList<CalendarDay> Days)
{
    public int TeachingDays => Days.Count(d => d.IsTeaching);
    public bool Unconfirmed => Days.Any(d => d.Kind is DayKind.Unknown or DayKind.Provisional);
    public bool Exempt => TeachingDays == 0 && !Unconfirmed;
}

/// <summary>校历: the term's days and weeks, from the term, the national notices and local closures.</summary>
[SharedRule]
public static class TermCalendar
{
    public static string IsoWeekName(DateOnly date) =>
        string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(date.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(date.ToDateTime(TimeOnly.MinValue)):00}");

    /// <summary>The first teaching day of the given weeks on or after <paramref name="day"/>, or null when they have none left.</summary>
    public static DateOnly? FirstTeachingDay(IEnumerable<CalendarWeek> weeks, DateOnly day) =>
        weeks.SelectMany(w => w.Days).Where(d => d.IsTeaching && d.Date >= day).Select(d => (DateOnly?)d.Date).FirstOrDefault();

    /// <summary>The weeks of the term for the county, or for one township when <paramref name="townshipCode"/> is given.</summary>
    public static IReadOnlyList<CalendarWeek> Weeks(Term term, HolidayCalendar holidays, IEnumerable<Closure> closures, string? townshipCode = null)
    {
        var applicable = closures.Where(c => c.TownshipCode is null || c.TownshipCode == townshipCode).ToList();
        var days = new List<CalendarDay>();
        for (var date = term.FirstDay; date <= term.LastDay; date = date.AddDays(1))
        {
            days.Add(Classify(term, holidays, applicable, date));
        }
        return [.. days
            .GroupBy(d => IsoWeekName(d.Date))
            .Select(g => new CalendarWeek(g.Key, Monday(g.First().Date), [.. g]))];
    }

    private static DateOnly Monday(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));

    private static CalendarDay Classify(Term term, HolidayCalendar holidays, List<Closure> closures, DateOnly date)
    {
        var closure = closures.FirstOrDefault(c => c.FirstDay <= date && date <= c.LastDay);
        if (closure is not null)
        {
            return new CalendarDay(date, DayKind.Closed, closure.Reason);
        }
        var (kind, name) = holidays.Lookup(date);
        var isoDay = ((int)date.DayOfWeek + 6) % 7 + 1;
        return kind switch
        {
            HolidayKind.OffDay => new CalendarDay(date, DayKind.Holiday, name),
            HolidayKind.MakeUpWorkday => new CalendarDay(date, DayKind.MakeUpWorkday, $"{name}调休上班"),
            HolidayKind.Unpublished => term.TeachingWeekdays.Contains(isoDay)
                ? new CalendarDay(date, DayKind.Provisional, $"{date.Year}年节假日安排尚未发布，暂按教学日安排")
                : new CalendarDay(date, DayKind.Unknown, $"{date.Year}年节假日安排尚未发布"),
            _ => term.TeachingWeekdays.Contains(isoDay)
                ? new CalendarDay(date, DayKind.Teaching, null)
                : new CalendarDay(date, DayKind.NotATeachingWeekday, null),
        };
    }
}
