using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Coverage;

/// <summary>周覆盖 status of one child in one teaching week.</summary>
public enum CoverageStatus
{
    /// <summary>No teaching day that week: exempt from the weekly minimum.</summary>
    Exempt,
    /// <summary>Delivered at least what policy requires.</summary>
    Met,
    /// <summary>The week is running, not met yet, and what is still scheduled would meet it.</summary>
    AtRisk,
    /// <summary>The week is over and less was delivered than policy requires. Only a past week is missed.</summary>
    Missed,
    /// <summary>未纳入方案: the child's plan is in force on none of the week's teaching days (before it took effect, after it closed).</summary>
    NotInPlan,
    /// <summary>待送教: a week still to come with enough sessions scheduled.</summary>
    Upcoming,
    /// <summary>未排课: this week or a later one in the plan with fewer sessions scheduled than policy requires.</summary>
    Unscheduled,
}

public sealed record CoverageRow(Guid StudentId, string TownshipCode, Guid SchoolId, IReadOnlyList<Guid> StaffIds, int Required, int Scheduled, int Delivered, CoverageStatus Status);

/// <summary>
/// One group's week. <see cref="Children"/> are the children whose plan is in force that week (each counted in
/// exactly one of Met, AtRisk, Missed, Exempt, Upcoming, Unscheduled); those not in plan are counted apart.
/// </summary>
public sealed record CoverageRollup(string Key, int Children, int Met, int AtRisk, int Missed, int Exempt, int Upcoming = 0, int Unscheduled = 0);

public sealed record CoverageDto(Guid TermId, string Week, IReadOnlyList<CoverageRow> Rows, IReadOnlyList<CoverageRollup> ByTownship, IReadOnlyList<CoverageRollup> BySchool, IReadOnlyList<CoverageRollup> ByStaff, CoverageRollup County);

public sealed record MatrixDto(Guid TermId, IReadOnlyList<string> Weeks, IReadOnlyList<MatrixRow> Children);

public sealed record MatrixRow(Guid StudentId, string TownshipCode, IReadOnlyList<CoverageStatus> Statuses, Guid SchoolId);

/// <summary>
/// Weekly coverage: per child and teaching week, what policy requires, what is scheduled and what was
/// delivered. The county's roles read the county; a coordinator reads the children of their school.
/// </summary>
public sealed class CoverageReports(AppDbContext db, CurrentUser me, CurrentTerm currentTerm, HolidayCalendar holidays, TimeProvider clock, SummaryCache summary)
{
    /// <summary>The term matrix: every child whose plan was ever in force against every week of the term, one status a cell.</summary>
    public async Task<Result<MatrixDto>> MatrixAsync(Guid? termId, CancellationToken ct)
    {
        if (!me.May(Permission.ReadCoverage))
        {
            return Refusal.NotAllowed();
        }
        if (await TermAsync(termId, ct).ConfigureAwait(false) is not { } term)
        {
            return Refusal.NotFound();
        }
        // The term's summary is read in one query; each cell's status is then derived at the clock's instant.
        var now = clock.GetUtcNow();
        var weeks = CoverageSummary.TermWeeks(term, holidays);
        var stored = await summary.RowsAsync(db, me.CountyCode, term.Id, week: null, ct).ConfigureAwait(false);
        return new MatrixDto(term.Id.Value, weeks,
            [.. InOrder(stored.Where(w => me.ActsFor(w.SchoolId)).GroupBy(w => w.StudentId).Select(g => g.ToDictionary(w => w.Week, StringComparer.Ordinal)), child => child.Values.First())
                .Select(child =>
                {
                    var first = child.Values.First();
                    return new MatrixRow(first.StudentId.Value, Conventions.TownshipOf(first.VillageCode) ?? "",
                        [.. weeks.Select(week => child.TryGetValue(week, out var cell) ? cell.Facts.At(now).Status : CoverageStatus.Exempt)], first.SchoolId.Value);
                })]);
    }

    /// <summary>One teaching week (this one when none is given), with its roll-ups by township, school and staff member.</summary>
    public async Task<Result<CoverageDto>> WeekAsync(Guid? termId, string? week, CancellationToken ct)
    {
        if (!me.May(Permission.ReadCoverage))
        {
            return Refusal.NotAllowed();
        }
        // A week that does not exist (2026-W99) is a bad request, not a week with nothing to teach.
        if (week is not null && !Validation.IsIsoWeek(week))
        {
            return Refusal.Invalid("week", "周次须为存在的 ISO 周，格式如 2026-W37");
        }
        if (await TermAsync(termId, ct).ConfigureAwait(false) is not { } term)
        {
            return Refusal.NotFound();
        }
        var weekName = week ?? WeekOf(currentTerm.Today);
        var now = clock.GetUtcNow();
        // A week's answer is about the children whose plan was in force in it: a plan approved later adds no row
        // to a past week (it stays exactly as it was); the term matrix shows such weeks as NotInPlan.
        var stored = await summary.RowsAsync(db, me.CountyCode, term.Id, weekName, ct).ConfigureAwait(false);
        if (stored.Count == 0 && CoverageSummary.TermWeeks(term, holidays) is [var first, ..] weeks && !weeks.Contains(weekName))
        {
            // A week outside the term has no teaching day for anyone: every child of the term is exempt in it.
            stored = [.. (await db.CoverageWeeks.AsNoTracking().Where(w => w.CountyCode == me.CountyCode && w.TermId == term.Id && w.Week == first).ToListAsync(ct).ConfigureAwait(false))
                .Select(w => CoverageWeek.Of(w.CountyCode, w.TermId, w.StudentId, w.VillageCode, w.SchoolId, weekName, WeekFacts.Exempt(default)))];
        }
        List<CoverageRow> rows = [.. InOrder(stored.Where(w => me.ActsFor(w.SchoolId)), w => w).Select(w =>
        {
            var c = w.Facts.At(now);
            return new CoverageRow(w.StudentId.Value, Conventions.TownshipOf(w.VillageCode) ?? "", w.SchoolId.Value, c.StaffIds, c.Required, c.Scheduled, c.Delivered, c.Status);
        }).Where(r => r.Status != CoverageStatus.NotInPlan)];
        static CoverageRollup Roll(string key, IEnumerable<CoverageRow> group)
        {
            var list = group.ToList();
            int Count(CoverageStatus status) => list.Count(r => r.Status == status);
            return new CoverageRollup(key, list.Count, Count(CoverageStatus.Met), Count(CoverageStatus.AtRisk), Count(CoverageStatus.Missed),
                Count(CoverageStatus.Exempt), Count(CoverageStatus.Upcoming), Count(CoverageStatus.Unscheduled));
        }
        return new CoverageDto(term.Id.Value, weekName, rows,
            [.. rows.GroupBy(r => r.TownshipCode).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Roll(g.Key, g))],
            [.. rows.GroupBy(r => r.SchoolId).OrderBy(g => g.Key).Select(g => Roll(g.Key.ToString(), g))],
            [.. rows.SelectMany(r => r.StaffIds.Select(s => (Staff: s, Row: r))).GroupBy(x => x.Staff).OrderBy(g => g.Key).Select(g => Roll(g.Key.ToString(), g.Select(x => x.Row)))],
            Roll(me.CountyCode, rows));
    }

    /// <summary>Children in <see cref="TermRecord.Children"/>' order: by village, then id.</summary>
    private static IEnumerable<T> InOrder<T>(IEnumerable<T> children, Func<T, CoverageWeek> row) =>
        children.OrderBy(c => row(c).VillageCode, StringComparer.Ordinal).ThenBy(c => row(c).StudentId.Value);

    /// <summary>The given term of the caller's county, or the current one, with its days cut to what can be a term.</summary>
    private async Task<Term?> TermAsync(Guid? termId, CancellationToken ct)
    {
        var terms = await currentTerm.AllAsync(ct).ConfigureAwait(false);
        var term = termId is { } id ? terms.SingleOrDefault(t => t.Id == new TermId(id)) : CurrentTerm.Pick(terms, currentTerm.Today);
        return term is null ? null : Readable(term);
    }

    /// <summary>The longest span a term's weeks are computed for: a school year.</summary>
    public const int LongestTermDays = 366;

    /// <summary>
    /// A term as coverage reads it. Stored terms may hold dates no request should have written
    /// (0001-01-01, 9999-12, a last day before the first, ten years): the days are cut to 2000–2100 and
    /// to one year, so that the calendar is finite and never runs past the end of time.
    /// </summary>
    public static Term Readable(Term term)
    {
        var first = Clamp(term.FirstDay);
        var last = Clamp(term.LastDay);
        if (last < first)
        {
            last = first;
        }
        if (last.DayNumber - first.DayNumber > LongestTermDays)
        {
            last = first.AddDays(LongestTermDays);
        }
        return first == term.FirstDay && last == term.LastDay ? term
            : new Term { Id = term.Id, CountyCode = term.CountyCode, Name = term.Name, FirstDay = first, LastDay = last, TeachingWeekdays = term.TeachingWeekdays };
    }

    private static DateOnly Clamp(DateOnly date) =>
        date < Validation.EarliestDate ? Validation.EarliestDate : date > Validation.LatestDate ? Validation.LatestDate : date;

    /// <summary>The ISO week of a date; a stored date outside 2000–2100 belongs to no week coverage counts.</summary>
    private static string WeekOf(DateOnly date) =>
        date < Validation.EarliestDate || date > Validation.LatestDate ? "" : TermCalendar.IsoWeekName(date);
}
