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
    /// <summary>The week is still running and what is scheduled would meet it, but it is not delivered yet.</summary>
    AtRisk,
    /// <summary>Not delivered (the week is over), or not even scheduled.</summary>
    Missed,
}

public sealed record CoverageRow(Guid StudentId, string TownshipCode, Guid SchoolId, IReadOnlyList<Guid> StaffIds, int Required, int Scheduled, int Delivered, CoverageStatus Status);

public sealed record CoverageRollup(string Key, int Children, int Met, int AtRisk, int Missed, int Exempt);

public sealed record CoverageDto(Guid TermId, string Week, IReadOnlyList<CoverageRow> Rows, IReadOnlyList<CoverageRollup> ByTownship, IReadOnlyList<CoverageRollup> BySchool, IReadOnlyList<CoverageRollup> ByStaff, CoverageRollup County);

public sealed record MatrixDto(Guid TermId, IReadOnlyList<string> Weeks, IReadOnlyList<MatrixRow> Children);

public sealed record MatrixRow(Guid StudentId, string TownshipCode, IReadOnlyList<CoverageStatus> Statuses);

/// <summary>
/// Weekly coverage: per child and teaching week, what policy requires, what is scheduled and what was
/// delivered. The county's roles read the county; a coordinator reads the children of their school.
/// </summary>
public sealed class CoverageReports(AppDbContext db, CurrentUser me, CurrentTerm currentTerm, HolidayCalendar holidays)
{
    /// <summary>The term matrix: every child on the roll against every week of the term, one status a cell.</summary>
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
        // The term's facts are read once; each week is then computed from them.
        var facts = await Facts.LoadAsync(me, term, null, currentTerm.Today, db, holidays, ct).ConfigureAwait(false);
        var weeks = TermCalendar.Weeks(term, holidays, []).Select(w => w.Week).ToList();
        var columns = weeks.Select(week => facts.Rows(week).ToDictionary(r => r.StudentId, r => (Township: r.TownshipCode, r.Status))).ToList();
        var children = columns.SelectMany(c => c.Keys).Distinct().ToList();
        return new MatrixDto(term.Id.Value, weeks,
            [.. children.Select(child => new MatrixRow(child, columns.Select(c => c.TryGetValue(child, out var v) ? v.Township : null).FirstOrDefault(t => t is not null) ?? "",
                [.. columns.Select(c => c.TryGetValue(child, out var v) ? v.Status : CoverageStatus.Exempt)]))]);
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
        var facts = await Facts.LoadAsync(me, term, weekName, currentTerm.Today, db, holidays, ct).ConfigureAwait(false);
        var rows = facts.Rows(weekName);
        static CoverageRollup Roll(string key, IEnumerable<CoverageRow> group)
        {
            var list = group.ToList();
            return new CoverageRollup(key, list.Count, list.Count(r => r.Status == CoverageStatus.Met), list.Count(r => r.Status == CoverageStatus.AtRisk),
                list.Count(r => r.Status == CoverageStatus.Missed), list.Count(r => r.Status == CoverageStatus.Exempt));
        }
        return new CoverageDto(term.Id.Value, weekName, rows,
            [.. rows.GroupBy(r => r.TownshipCode).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Roll(g.Key, g))],
            [.. rows.GroupBy(r => r.SchoolId).OrderBy(g => g.Key).Select(g => Roll(g.Key.ToString(), g))],
            [.. rows.SelectMany(r => r.StaffIds.Select(s => (Staff: s, Row: r))).GroupBy(x => x.Staff).OrderBy(g => g.Key).Select(g => Roll(g.Key.ToString(), g.Select(x => x.Row)))],
            Roll(me.CountyCode, rows));
    }

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

    /// <summary>What weekly coverage is computed from, read once for a term (or for one week of it).</summary>
    private sealed class Facts
    {
        private readonly Dictionary<string, Dictionary<string, CalendarWeek>> _calendars = [];

        private Facts(Term term, HolidayCalendar holidays, CountyPolicy policy, List<Closure> closures, List<Student> students,
            List<TimetableSession> sessions, List<VisitRecord> visits, DateOnly today)
        {
            (Term, Holidays, Policy, Closures, Students, Today) = (term, holidays, policy, closures, students, today);
            SessionsByWeek = sessions.GroupBy(s => s.Week).ToDictionary(g => g.Key, g => g.ToList());
            VisitsByWeek = visits.GroupBy(v => WeekOf(v.Date)).ToDictionary(g => g.Key, g => g.ToList());
        }

        private Term Term { get; }
        private HolidayCalendar Holidays { get; }
        private CountyPolicy Policy { get; }
        private List<Closure> Closures { get; }
        private List<Student> Students { get; }
        private Dictionary<string, List<TimetableSession>> SessionsByWeek { get; }
        private Dictionary<string, List<VisitRecord>> VisitsByWeek { get; }
        private DateOnly Today { get; }

        public static async Task<Facts> LoadAsync(CurrentUser caller, Term term, string? week, DateOnly today, AppDbContext db, HolidayCalendar holidays, CancellationToken ct)
        {
            var policy = await db.Policies.FindAsync([caller.CountyCode], ct).ConfigureAwait(false) ?? CountyPolicy.LincangDefault(caller.CountyCode);
            var closures = await db.Closures.AsNoTracking().Where(c => c.CountyCode == caller.CountyCode).ToListAsync(ct).ConfigureAwait(false);

            // The children on the roll for this term: a plan version in force.
            var plans = await db.Plans.AsNoTracking().Include(p => p.Versions).Where(p => p.CountyCode == caller.CountyCode && p.TermId == term.Id).ToListAsync(ct).ConfigureAwait(false);
            var onRoll = plans.Where(p => p.Versions.Any(v => v.Status is PlanStatus.Approved or PlanStatus.Active)).Select(p => p.StudentId).ToHashSet();
            var students = await db.Students.AsNoTracking().Where(s => onRoll.Contains(s.Id)).ToListAsync(ct).ConfigureAwait(false);
            // A coordinator's rows are the children of their school, and nobody else's.
            students = [.. students.Where(s => caller.ActsFor(s.SchoolOfRecordId))];
            var published = await db.Timetables.AsNoTracking().Where(t => t.CountyCode == caller.CountyCode && t.TermId == term.Id && t.Status == Domain.TimetableStatus.Published)
                .Select(t => t.Id).ToListAsync(ct).ConfigureAwait(false);
            var sessionQuery = db.Sessions.AsNoTracking().Where(s => published.Contains(s.TimetableId) && s.Status != SessionStatus.Cancelled);
            var visitQuery = db.Visits.AsNoTracking().Where(v => v.CountyCode == caller.CountyCode);
            if (week is not null)
            {
                sessionQuery = sessionQuery.Where(s => s.Week == week);
            }
            else
            {
                visitQuery = visitQuery.Where(v => v.Date >= term.FirstDay.AddDays(-7) && v.Date <= term.LastDay.AddDays(7));
            }
            var sessions = await sessionQuery.ToListAsync(ct).ConfigureAwait(false);
            // Only each session's newest version counts as what happened.
            var visits = (await visitQuery.ToListAsync(ct).ConfigureAwait(false))
                .GroupBy(v => v.SessionKey).Select(g => g.OrderByDescending(v => v.Version).First())
                .Where(v => !v.Missed).ToList();
            return new Facts(term, holidays, policy, closures, students, sessions, visits, today);
        }

        private CalendarWeek? WeekFor(string township, string week)
        {
            if (!_calendars.TryGetValue(township, out var weeks))
            {
                _calendars[township] = weeks = TermCalendar.Weeks(Term, Holidays, Closures, township).ToDictionary(w => w.Week);
            }
            return weeks.GetValueOrDefault(week);
        }

        public List<CoverageRow> Rows(string weekName)
        {
            var sessions = SessionsByWeek.GetValueOrDefault(weekName) ?? [];
            var visits = VisitsByWeek.GetValueOrDefault(weekName) ?? [];
            var rows = new List<CoverageRow>();
            foreach (var child in Students.OrderBy(s => s.VillageCode, StringComparer.Ordinal).ThenBy(s => s.Id.Value))
            {
                var township = Conventions.TownshipOf(child.VillageCode) ?? "";
                var calendar = WeekFor(township, weekName);
                var theirs = sessions.Where(s => s.StudentId == child.Id && (Policy.RemoteCountsTowardHomeMinimum || s.Mode == SessionModes.Home)).ToList();
                var delivered = visits.Count(v => v.StudentId == child.Id && (Policy.RemoteCountsTowardHomeMinimum || v.Mode == SessionModes.Home));
                var required = calendar is null || calendar.Exempt ? 0 : Policy.MinSessionsPerTeachingWeek;
                var weekOver = calendar is null || calendar.Monday.AddDays(6) < Today;
                var status = required == 0 ? CoverageStatus.Exempt
                    : delivered >= required ? CoverageStatus.Met
                    : !weekOver && theirs.Count >= required ? CoverageStatus.AtRisk
                    : CoverageStatus.Missed;
                rows.Add(new CoverageRow(child.Id.Value, township, child.SchoolOfRecordId.Value, [.. theirs.SelectMany(s => s.StaffIds).Distinct()], required, theirs.Count, delivered, status));
            }
            return rows;
        }
    }
}
