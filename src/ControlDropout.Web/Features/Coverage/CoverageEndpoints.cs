using System.Globalization;
using System.Security.Claims;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
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

/// <summary>Weekly coverage: per child and teaching week, what policy requires, what is scheduled and what was delivered.</summary>
public static class CoverageEndpoints
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    public static IEndpointRouteBuilder MapCoverage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/coverage", Get).WithTags("Coverage");
        app.MapGet("/api/coverage/matrix", Matrix).WithTags("Coverage");
        return app;
    }

    public sealed record MatrixDto(Guid TermId, IReadOnlyList<string> Weeks, IReadOnlyList<MatrixRow> Children);

    public sealed record MatrixRow(Guid StudentId, string TownshipCode, IReadOnlyList<CoverageStatus> Statuses);

    /// <summary>The term matrix: every child on the roll against every week of the term, one status a cell.</summary>
    public static async Task<Results<Ok<MatrixDto>, NotFound, ValidationProblem>> Matrix(
        Guid? termId, ClaimsPrincipal user, AppDbContext db, HolidayCalendar holidays, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(China).DateTime);
        if (await TermAsync(caller, termId, today, db, ct).ConfigureAwait(false) is not { } term)
        {
            return TypedResults.NotFound();
        }
        // The term's facts are read once; each week is then computed from them.
        var facts = await Facts.LoadAsync(caller, term, null, today, db, holidays, ct).ConfigureAwait(false);
        var weeks = TermCalendar.Weeks(term, holidays, []).Select(w => w.Week).ToList();
        var columns = weeks.Select(week => facts.Rows(caller, week).ToDictionary(r => r.StudentId, r => (Township: r.TownshipCode, r.Status))).ToList();
        var children = columns.SelectMany(c => c.Keys).Distinct().ToList();
        return TypedResults.Ok(new MatrixDto(term.Id.Value, weeks,
            [.. children.Select(child => new MatrixRow(child, columns.Select(c => c.TryGetValue(child, out var v) ? v.Township : null).FirstOrDefault(t => t is not null) ?? "",
                [.. columns.Select(c => c.TryGetValue(child, out var v) ? v.Status : CoverageStatus.Exempt)]))]));
    }

    public static async Task<Results<Ok<CoverageDto>, NotFound, ValidationProblem>> Get(
        Guid? termId, string? week, ClaimsPrincipal user, AppDbContext db, HolidayCalendar holidays, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(China).DateTime);
        if (await TermAsync(caller, termId, today, db, ct).ConfigureAwait(false) is not { } term)
        {
            return TypedResults.NotFound();
        }
        var weekName = week ?? TermCalendar.IsoWeekName(today);
        if (!System.Text.RegularExpressions.Regex.IsMatch(weekName, @"^\d{4}-W\d{2}$"))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["week"] = ["周次格式为 2026-W37"] });
        }
        var facts = await Facts.LoadAsync(caller, term, weekName, today, db, holidays, ct).ConfigureAwait(false);
        var rows = facts.Rows(caller, weekName);
        static CoverageRollup Roll(string key, IEnumerable<CoverageRow> group)
        {
            var list = group.ToList();
            return new CoverageRollup(key, list.Count, list.Count(r => r.Status == CoverageStatus.Met), list.Count(r => r.Status == CoverageStatus.AtRisk),
                list.Count(r => r.Status == CoverageStatus.Missed), list.Count(r => r.Status == CoverageStatus.Exempt));
        }
        return TypedResults.Ok(new CoverageDto(term.Id.Value, weekName, rows,
            [.. rows.GroupBy(r => r.TownshipCode).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Roll(g.Key, g))],
            [.. rows.GroupBy(r => r.SchoolId).OrderBy(g => g.Key).Select(g => Roll(g.Key.ToString(), g))],
            [.. rows.SelectMany(r => r.StaffIds.Select(s => (Staff: s, Row: r))).GroupBy(x => x.Staff).OrderBy(g => g.Key).Select(g => Roll(g.Key.ToString(), g.Select(x => x.Row)))],
            Roll(caller.CountyCode, rows)));
    }

    /// <summary>The given term, or the one running today, else the latest.</summary>
    private static async Task<Term?> TermAsync(Caller caller, Guid? termId, DateOnly today, AppDbContext db, CancellationToken ct)
    {
        var terms = await db.Terms.AsNoTracking().Where(t => t.CountyCode == caller.CountyCode).ToListAsync(ct).ConfigureAwait(false);
        return termId is { } id
            ? terms.SingleOrDefault(t => t.Id == new TermId(id))
            : terms.Where(t => t.FirstDay <= today && today <= t.LastDay).OrderBy(t => t.FirstDay).FirstOrDefault() ?? terms.OrderByDescending(t => t.FirstDay).FirstOrDefault();
    }

    /// <summary>What weekly coverage is computed from, read once for a term (or for one week of it).</summary>
    private sealed class Facts
    {
        private readonly Dictionary<string, Dictionary<string, CalendarWeek>> _calendars = [];

        private Facts(Term term, HolidayCalendar holidays, CountyPolicy policy, List<Closure> closures, List<Student> students,
            List<TimetableSession> sessions, List<VisitRecord> visits, DateOnly today)
        {
            (Term, Holidays, Policy, Closures, Students, Today) = (term, holidays, policy, closures, students, today);
            SessionsByWeek = sessions.GroupBy(s => s.Week).ToDictionary(g => g.Key, g => g.ToList());
            VisitsByWeek = visits.GroupBy(v => TermCalendar.IsoWeekName(v.Date)).ToDictionary(g => g.Key, g => g.ToList());
        }

        private Term Term { get; }
        private HolidayCalendar Holidays { get; }
        private CountyPolicy Policy { get; }
        private List<Closure> Closures { get; }
        private List<Student> Students { get; }
        private Dictionary<string, List<TimetableSession>> SessionsByWeek { get; }
        private Dictionary<string, List<VisitRecord>> VisitsByWeek { get; }
        private DateOnly Today { get; }

        public static async Task<Facts> LoadAsync(Caller caller, Term term, string? week, DateOnly today, AppDbContext db, HolidayCalendar holidays, CancellationToken ct)
        {
            var policy = await db.Policies.FindAsync([caller.CountyCode], ct).ConfigureAwait(false) ?? CountyPolicy.LincangDefault(caller.CountyCode);
            var closures = await db.Closures.AsNoTracking().Where(c => c.CountyCode == caller.CountyCode).ToListAsync(ct).ConfigureAwait(false);

            // The children on the roll for this term: a plan version in force.
            var plans = await db.Plans.AsNoTracking().Include(p => p.Versions).Where(p => p.CountyCode == caller.CountyCode && p.TermId == term.Id).ToListAsync(ct).ConfigureAwait(false);
            var onRoll = plans.Where(p => p.Versions.Any(v => v.Status is PlanStatus.Approved or PlanStatus.Active)).Select(p => p.StudentId).ToHashSet();
            var students = await db.Students.AsNoTracking().Where(s => onRoll.Contains(s.Id)).ToListAsync(ct).ConfigureAwait(false);
            if (caller.Role == Roles.Coordinator)
            {
                students = [.. students.Where(s => s.SchoolOfRecordId == caller.SchoolId)];
            }
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

        public List<CoverageRow> Rows(Caller caller, string weekName)
        {
            var sessions = SessionsByWeek.GetValueOrDefault(weekName) ?? [];
            var visits = VisitsByWeek.GetValueOrDefault(weekName) ?? [];
            var students = Students;
            if (caller.Role == Roles.Teacher)
            {
                var mine = sessions.Where(s => caller.StaffId is { } me && s.StaffIds.Contains(me.Value)).Select(s => s.StudentId).ToHashSet();
                students = [.. students.Where(s => mine.Contains(s.Id))];
            }
            var rows = new List<CoverageRow>();
            foreach (var child in students.OrderBy(s => s.VillageCode, StringComparer.Ordinal).ThenBy(s => s.Id.Value))
            {
                var township = child.VillageCode.Length >= 9 ? child.VillageCode[..9] : "";
                var calendar = WeekFor(township, weekName);
                var theirs = sessions.Where(s => s.StudentId == child.Id && (Policy.RemoteCountsTowardHomeMinimum || s.Mode == "home")).ToList();
                var delivered = visits.Count(v => v.StudentId == child.Id && (Policy.RemoteCountsTowardHomeMinimum || v.Mode == "home"));
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
