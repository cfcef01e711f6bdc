using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Calendar;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.Calendar;

/// <summary>The term calendar from the shipped holiday-cn files, the term's weekdays and local closures.</summary>
public class TermCalendarTests
{
    private static readonly HolidayCalendar Holidays = HolidayCalendar.Shipped();

    private static Term Autumn2026(DateOnly? lastDay = null) => new()
    {
        Id = TermId.New(), CountyCode = "530902", Name = "2026年秋季学期",
        FirstDay = new DateOnly(2026, 9, 1), LastDay = lastDay ?? new DateOnly(2026, 12, 31),
    };

    private static Closure Closed(DateOnly first, DateOnly last, string? township = null) => new()
    {
        CountyCode = "530902", TownshipCode = township, FirstDay = first, LastDay = last, Reason = "暴雨停课", CreatedBy = "approver", CreatedAt = DateTimeOffset.UnixEpoch,
    };

    private static CalendarWeek Week(IReadOnlyList<CalendarWeek> weeks, string name) => weeks.Single(w => w.Week == name);

    [Fact]
    public void Sunday_20_September_2026_is_a_teaching_day_because_it_is_a_make_up_workday()
    {
        var weeks = TermCalendar.Weeks(Autumn2026(), Holidays, []);

        var sunday = weeks.SelectMany(w => w.Days).Single(d => d.Date == new DateOnly(2026, 9, 20));
        sunday.Kind.Should().Be(DayKind.MakeUpWorkday);
        sunday.IsTeaching.Should().BeTrue();
        Week(weeks, "2026-W38").TeachingDays.Should().Be(6);
    }

    [Fact]
    public void National_Day_and_Mid_Autumn_holidays_are_not_taught_and_the_make_up_Saturday_is()
    {
        var weeks = TermCalendar.Weeks(Autumn2026(), Holidays, []);
        var days = weeks.SelectMany(w => w.Days).ToDictionary(d => d.Date);

        Enumerable.Range(1, 7).Select(d => days[new DateOnly(2026, 10, d)].Kind).Should().OnlyContain(k => k == DayKind.Holiday);
        days[new DateOnly(2026, 9, 25)].Kind.Should().Be(DayKind.Holiday, "中秋节 falls on Friday 25 September 2026");
        days[new DateOnly(2026, 10, 10)].Kind.Should().Be(DayKind.MakeUpWorkday);
        // By the ISO-week rule neither National Day week is exempt: each keeps three teaching days.
        Week(weeks, "2026-W40").TeachingDays.Should().Be(3);
        Week(weeks, "2026-W41").TeachingDays.Should().Be(3);
        Week(weeks, "2026-W40").Exempt.Should().BeFalse();
    }

    [Fact]
    public void A_week_whose_remaining_teaching_days_are_closed_is_exempt()
    {
        var weeks = TermCalendar.Weeks(Autumn2026(), Holidays, [Closed(new DateOnly(2026, 9, 28), new DateOnly(2026, 9, 30))]);

        Week(weeks, "2026-W40").TeachingDays.Should().Be(0);
        Week(weeks, "2026-W40").Exempt.Should().BeTrue();
    }

    [Fact]
    public void A_township_closure_closes_only_that_township()
    {
        var closure = Closed(new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 6), township: "530902102");

        var county = TermCalendar.Weeks(Autumn2026(), Holidays, [closure]);
        var township = TermCalendar.Weeks(Autumn2026(), Holidays, [closure], "530902102");

        Week(county, "2026-W45").TeachingDays.Should().Be(5);
        Week(township, "2026-W45").Exempt.Should().BeTrue();
        Week(township, "2026-W45").Days[0].Note.Should().Be("暴雨停课");
    }

    [Fact]
    public void A_year_without_a_published_notice_is_planned_provisionally_and_reported()
    {
        var weeks = TermCalendar.Weeks(Autumn2026(new DateOnly(2027, 1, 22)), Holidays, []);

        var january = weeks.SelectMany(w => w.Days).Where(d => d.Date.Year == 2027).ToList();
        january.Where(d => d.Date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).Should().OnlyContain(d => d.Kind == DayKind.Provisional && d.IsTeaching,
            "teachers need next month's sessions before the notice arrives");
        january.Where(d => d.Date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday).Should().OnlyContain(d => d.Kind == DayKind.Unknown && !d.IsTeaching);
        weeks.Where(w => w.Days.Any(d => d.Date.Year == 2027)).Should().OnlyContain(w => w.Unconfirmed && !w.Exempt);
        // December is known only when the next year's file is shipped too: its notice may add 调休 days.
        weeks.SelectMany(w => w.Days).Single(d => d.Date == new DateOnly(2026, 12, 14)).Kind.Should().Be(DayKind.Provisional);
    }

    [Fact]
    public void Days_outside_the_terms_weekdays_are_not_taught()
    {
        var weeks = TermCalendar.Weeks(Autumn2026(), Holidays, []);

        var saturday = weeks.SelectMany(w => w.Days).Single(d => d.Date == new DateOnly(2026, 9, 5));
        saturday.Kind.Should().Be(DayKind.NotATeachingWeekday);
        Week(weeks, "2026-W37").TeachingDays.Should().Be(5);
    }
}
