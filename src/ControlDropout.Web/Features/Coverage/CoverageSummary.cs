using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Calendar;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace ControlDropout.Web.Features.Coverage;

/// <summary>
/// What a save changes that coverage is derived from, noted before the save (a deleted row is gone after it):
/// published sessions, plans and their versions, timetable versions, closures, terms, a child's village or school,
/// the county's policy. Visit records are not among them: a record reaches coverage through its session's status,
/// which the visit door changes in the same save.
/// </summary>
public sealed class SummaryScope
{
    internal HashSet<string> Counties { get; } = new(StringComparer.Ordinal);
    internal HashSet<(string County, TermId Term)> Terms { get; } = [];
    internal HashSet<(string County, StudentId Child)> Children { get; } = [];
    internal HashSet<(Guid Timetable, StudentId Child)> Sessions { get; } = [];
    internal HashSet<PlanId> Plans { get; } = [];

    public bool IsEmpty => Counties.Count == 0 && Terms.Count == 0 && Children.Count == 0 && Sessions.Count == 0 && Plans.Count == 0;
}

/// <summary>
/// Keeps the <see cref="CoverageWeek"/> rows in step with what they are derived from. <see cref="AppDbContext"/> calls
/// <see cref="Touched"/> before each save and <see cref="RefreshAsync(AppDbContext, HolidayCalendar, SummaryScope, CancellationToken)"/>
/// after it, inside the save's transaction and under the <see cref="WriteLock"/>, so that no writer can forget it and no
/// reader sees a write without its summary. The rows are recomputed from <see cref="TermRecord"/> itself: one derivation.
/// </summary>
public static class CoverageSummary
{
    /// <summary>Past this many children of one term touched by one save, the whole term is read once rather than child by child.</summary>
    public const int WholeTermFrom = 40;

    public static SummaryScope Touched(ChangeTracker tracker)
    {
        var scope = new SummaryScope();
        foreach (var entry in tracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }
            switch (entry.Entity)
            {
                case TimetableSession session:
                    scope.Sessions.Add((session.TimetableId, session.StudentId));
                    break;
                // A draft being written changes nothing anyone reads until it is published.
                case Timetable timetable when entry.State == EntityState.Deleted || timetable.Status == TimetableStatus.Published
                    || entry.State == EntityState.Modified && entry.Property(nameof(Timetable.Status)).IsModified:
                    scope.Terms.Add((timetable.CountyCode, timetable.TermId));
                    break;
                case Plan plan:
                    scope.Children.Add((plan.CountyCode, plan.StudentId));
                    break;
                case PlanVersion version:
                    scope.Plans.Add(version.PlanId);
                    break;
                case Closure closure:
                    scope.Counties.Add(closure.CountyCode);
                    break;
                case Term term:
                    scope.Terms.Add((term.CountyCode, term.Id));
                    break;
                case CountyPolicy policy:
                    scope.Counties.Add(policy.CountyCode);
                    break;
                case Student child when entry.State == EntityState.Deleted
                    || entry.State == EntityState.Modified && (entry.Property(nameof(Student.VillageCode)).IsModified || entry.Property(nameof(Student.SchoolOfRecordId)).IsModified):
                    scope.Children.Add((child.CountyCode, child.Id));
                    break;
            }
        }
        return scope;
    }

    /// <summary>Recomputes the rows the saved changes touched; the caller's transaction holds the write lock.</summary>
    public static async Task RefreshAsync(AppDbContext db, HolidayCalendar holidays, SummaryScope scope, CancellationToken ct)
    {
        if (scope.IsEmpty)
        {
            return;
        }
        var whole = new HashSet<(string County, TermId Term)>(scope.Terms);
        var some = new Dictionary<(string County, TermId Term), HashSet<StudentId>>();
        void Child(string county, TermId term, StudentId child)
        {
            if (!some.TryGetValue((county, term), out var set))
            {
                some[(county, term)] = set = [];
            }
            set.Add(child);
        }
        var counties = scope.Counties.Concat(scope.Children.Select(c => c.County)).Distinct().ToList();
        var termsOf = (await db.Terms.AsNoTracking().Where(t => counties.Contains(t.CountyCode)).Select(t => new { t.CountyCode, t.Id })
            .ToListAsync(ct).ConfigureAwait(false)).ToLookup(t => t.CountyCode, t => t.Id, StringComparer.Ordinal);
        foreach (var county in scope.Counties)
        {
            whole.UnionWith(termsOf[county].Select(t => (county, t)));
        }
        foreach (var (county, child) in scope.Children)
        {
            foreach (var term in termsOf[county])
            {
                Child(county, term, child);
            }
        }
        if (scope.Sessions.Count > 0)
        {
            // Only published versions' sessions are in force; a run writing a draft's sessions changes nothing yet.
            var ids = scope.Sessions.Select(s => s.Timetable).Distinct().ToList();
            var published = await db.Timetables.AsNoTracking().Where(t => ids.Contains(t.Id) && t.Status == TimetableStatus.Published)
                .Select(t => new { t.Id, t.CountyCode, t.TermId }).ToDictionaryAsync(t => t.Id, ct).ConfigureAwait(false);
            foreach (var (timetable, child) in scope.Sessions)
            {
                if (published.TryGetValue(timetable, out var t))
                {
                    Child(t.CountyCode, t.TermId, child);
                }
            }
        }
        if (scope.Plans.Count > 0)
        {
            var ids = scope.Plans.ToList();
            foreach (var plan in await db.Plans.AsNoTracking().Where(p => ids.Contains(p.Id)).Select(p => new { p.CountyCode, p.TermId, p.StudentId }).ToListAsync(ct).ConfigureAwait(false))
            {
                Child(plan.CountyCode, plan.TermId, plan.StudentId);
            }
        }
        foreach (var (county, term) in whole)
        {
            await RefreshAsync(db, holidays, county, term, null, ct).ConfigureAwait(false);
        }
        foreach (var ((county, term), children) in some.Where(s => !whole.Contains(s.Key)))
        {
            await RefreshAsync(db, holidays, county, term, children.Count >= WholeTermFrom ? null : children, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Replaces the rows of a county's term (of some children, or all) with what <see cref="TermRecord"/> derives now.</summary>
    public static async Task RefreshAsync(AppDbContext db, HolidayCalendar holidays, string countyCode, TermId termId, IReadOnlyCollection<StudentId>? children, CancellationToken ct)
    {
        var stale = db.CoverageWeeks.Where(w => w.CountyCode == countyCode && w.TermId == termId);
        if (children is not null)
        {
            var ids = children.ToList();
            stale = stale.Where(w => ids.Contains(w.StudentId));
        }
        await stale.ExecuteDeleteAsync(ct).ConfigureAwait(false);
        // Every instance's copy of this term's rows is out of date from this commit on.
        var version = await db.CoverageVersions.Where(v => v.CountyCode == countyCode && v.TermId == termId)
            .ExecuteUpdateAsync(v => v.SetProperty(x => x.Version, x => x.Version + 1), ct).ConfigureAwait(false) == 0
            ? db.CoverageVersions.Add(new CoverageVersion { CountyCode = countyCode, TermId = termId, Version = 1 }).Entity
            : null;
        var stored = await db.Terms.AsNoTracking().SingleOrDefaultAsync(t => t.CountyCode == countyCode && t.Id == termId, ct).ConfigureAwait(false);
        if (stored is null)
        {
            await SaveDerivedAsync(db, [], version, ct).ConfigureAwait(false);
            return;
        }
        var term = CoverageReports.Readable(stored);
        // The facts do not depend on the instant the record is read at (WeekFacts.At does); any instant will do.
        var record = await TermRecord.LoadChildrenAsync(db, countyCode, term, holidays, DateTimeOffset.UnixEpoch, children, ct).ConfigureAwait(false);
        var weeks = TermWeeks(term, holidays);
        var rows = record.Children.SelectMany(child => weeks.Select(week => CoverageWeek.Of(countyCode, termId, child, week, record.FactsOf(child, week)))).ToList();
        await SaveDerivedAsync(db, rows, version, ct).ConfigureAwait(false);
    }

    private static async Task SaveDerivedAsync(AppDbContext db, List<CoverageWeek> rows, CoverageVersion? added, CancellationToken ct)
    {
        db.CoverageWeeks.AddRange(rows);
        // The change these rows follow is saved already and the rows are added, not edited: nothing is left to detect,
        // and detecting would compare every tracked entity's lists again (the cost of a visit's save at city scale).
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
        // Derived rows are not kept tracked: the next refresh in this context replaces them by key.
        foreach (var row in rows)
        {
            db.Entry(row).State = EntityState.Detached;
        }
        if (added is not null)
        {
            db.Entry(added).State = EntityState.Detached;
        }
    }

    /// <summary>The ISO weeks of a term, as the matrix lists them.</summary>
    public static List<string> TermWeeks(Term term, HolidayCalendar holidays) => [.. TermCalendar.Weeks(term, holidays, []).Select(w => w.Week)];

    /// <summary>
    /// A database upgraded from before the summary has no rows: at start-up every term with none is filled (a term
    /// with no child in plan has none to fill, which costs one read of its empty record).
    /// </summary>
    public static async Task FillMissingAsync(AppDbContext db, HolidayCalendar holidays, CancellationToken ct)
    {
        var terms = await db.Terms.AsNoTracking().Select(t => new { t.CountyCode, t.Id }).ToListAsync(ct).ConfigureAwait(false);
        var filled = (await db.CoverageWeeks.Select(w => new { w.CountyCode, w.TermId }).Distinct().ToListAsync(ct).ConfigureAwait(false))
            .Select(w => (w.CountyCode, w.TermId)).ToHashSet();
        foreach (var term in terms.Where(t => !filled.Contains((t.CountyCode, t.Id))))
        {
            await using var transaction = await WriteLock.BeginAsync(db.Database, ct).ConfigureAwait(false);
            await RefreshAsync(db, holidays, term.CountyCode, term.Id, null, ct).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
        }
    }
}
