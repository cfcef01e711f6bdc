using System.Collections.Concurrent;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Coverage;

/// <summary>
/// The summary's rows as this instance last read them, per county term (a week's rows, or the whole term's), kept
/// only while the database says they are still the rows: each read first asks for the term's <see cref="CoverageVersion"/>
/// (one row by its key) and reads the rows again when another write — on any instance — raised it. The rows are
/// facts that do not depend on the clock (<see cref="WeekFacts"/>): each request still derives the statuses at its own
/// instant and filters to the caller's school, so nothing a person may not see, and nothing out of date, is ever served.
/// At city size a county's week is 300 rows and its term 6,000; reading and shaping them was the whole cost of
/// <c>/api/coverage</c> and <c>/inspect</c>.
/// </summary>
public sealed class SummaryCache
{
    /// <summary>At most this many county terms and weeks are kept; past it the copies are dropped and read again.</summary>
    public const int MaxEntries = 1024;

    private readonly ConcurrentDictionary<(string County, TermId Term, string? Week), (long Version, IReadOnlyList<CoverageWeek> Rows)> _entries = new();

    /// <summary>
    /// The rows of one week (in plan or exempt: what a week's answer is about), or of the whole term when
    /// <paramref name="week"/> is null. The version is read before the rows, so a copy is never older than its version.
    /// </summary>
    public async Task<IReadOnlyList<CoverageWeek>> RowsAsync(AppDbContext db, string countyCode, TermId term, string? week, CancellationToken ct)
    {
        var version = await db.CoverageVersions.AsNoTracking().Where(v => v.CountyCode == countyCode && v.TermId == term)
            .Select(v => (long?)v.Version).SingleOrDefaultAsync(ct).ConfigureAwait(false) ?? 0;
        var key = (countyCode, term, week);
        if (_entries.TryGetValue(key, out var kept) && kept.Version == version)
        {
            return kept.Rows;
        }
        var query = db.CoverageWeeks.AsNoTracking().Where(w => w.CountyCode == countyCode && w.TermId == term);
        if (week is not null)
        {
            query = query.Where(w => w.Week == week && w.Kind != WeekKind.NotInPlan);
        }
        List<CoverageWeek> rows = await query.ToListAsync(ct).ConfigureAwait(false);
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }
        _entries[key] = (version, rows);
        return rows;
    }
}
