using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Calendar;

/// <summary>The term pages and defaults work in, for the caller's county: the one running today, else the next to start, else the last.</summary>
public sealed class CurrentTerm(AppDbContext db, CurrentUser me, TimeProvider clock)
{
    public DateOnly Today => Conventions.ChinaDay(clock.GetUtcNow());

    /// <summary>The caller's county's terms, earliest first.</summary>
    public async Task<List<Term>> AllAsync(CancellationToken ct) =>
        [.. (await db.Terms.AsNoTracking().Where(t => t.CountyCode == me.CountyCode).ToListAsync(ct).ConfigureAwait(false)).OrderBy(t => t.FirstDay)];

    public async Task<Term?> FindAsync(CancellationToken ct) => Pick(await AllAsync(ct).ConfigureAwait(false), Today);

    public static Term? Pick(IEnumerable<Term> terms, DateOnly today)
    {
        var list = terms.ToList();
        return list.Where(t => t.FirstDay <= today && today <= t.LastDay).OrderBy(t => t.FirstDay).FirstOrDefault()
            ?? list.Where(t => t.FirstDay > today).OrderBy(t => t.FirstDay).FirstOrDefault()
            ?? list.OrderByDescending(t => t.FirstDay).FirstOrDefault();
    }
}
