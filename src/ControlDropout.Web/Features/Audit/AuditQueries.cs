using System.Globalization;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.People;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Audit;

/// <summary>One audit row as stored, and <see cref="Sentence"/>: the row in one Chinese sentence (names looked up when read).</summary>
public sealed record AuditEntryDto(long Id, DateTimeOffset At, string Actor, string Role, string Action, string ObjectType, string ObjectId, string Summary, string RequestId, string Sentence);

public sealed record AuditVerification(bool Intact, long Entries, long? FirstBrokenId);

/// <summary>The audit trail's reading side, for auditors (督导) and admins: the county's rows, and a check of the whole hash chain.</summary>
public sealed class AuditQueries(AppDbContext db, CurrentUser me)
{
    public const int PageSize = 200;

    /// <summary>The county's newest rows, <see cref="PageSize"/> at a time, older than <paramref name="before"/> when given.</summary>
    public async Task<Result<List<AuditEntryDto>>> ListAsync(long? before, CancellationToken ct)
    {
        if (!me.May(Permission.ReadAudit))
        {
            return Refusal.NotAllowed();
        }
        var query = db.Audit.AsNoTracking().Where(e => e.CountyCode == me.CountyCode);
        if (before is { } b)
        {
            query = query.Where(e => e.Id < b);
        }
        var rows = await query.OrderByDescending(e => e.Id).Take(PageSize).ToListAsync(ct).ConfigureAwait(false);
        var entries = rows.Select(e => new AuditEntryDto(e.Id, e.At, e.Actor, e.Role, e.Action, e.ObjectType, e.ObjectId, e.Summary, e.RequestId, "")).ToList();
        var names = await NamesAsync(entries, ct).ConfigureAwait(false);
        return entries.Select(e => e with { Sentence = AuditSentences.Of(e, names) }).ToList();
    }

    /// <summary>
    /// The names the rows' sentences need, looked up now (the trail holds ids, never a child's name): a child by its
    /// masked name (also for its plan, plan version, record, assessment, exit, photo and teaching file), staff by name,
    /// places, schools and terms by name, accounts and actors by display name. Everything within the caller's county.
    /// </summary>
    private async Task<AuditNames> NamesAsync(List<AuditEntryDto> entries, CancellationToken ct)
    {
        var county = me.CountyCode;
        var names = new AuditNames();
        var ids = entries.Select(e => e.ObjectId).Where(id => Guid.TryParse(id, out _)).Select(Guid.Parse).ToHashSet();
        var children = await db.Students.AsNoTracking().Where(s => s.CountyCode == county).ToDictionaryAsync(s => s.Id.Value, s => Masking.Name(s.Name), ct).ConfigureAwait(false);
        string Child(StudentId id) => children.GetValueOrDefault(id.Value, "（未知学生）");
        foreach (var (id, name) in children)
        {
            names.Record("Student", id.ToString(), name).Record("TeachingFile", id.ToString(), name);
        }
        foreach (var s in await db.Staff.AsNoTracking().Where(s => s.CountyCode == county).Select(s => new { s.Id, s.Name }).ToListAsync(ct).ConfigureAwait(false))
        {
            names.Record("Staff", s.Id.ToString(), s.Name);
        }
        foreach (var s in await db.Schools.AsNoTracking().Where(s => s.CountyCode == county).Select(s => new { s.Id, s.Name }).ToListAsync(ct).ConfigureAwait(false))
        {
            names.Record("School", s.Id.ToString(), s.Name);
        }
        foreach (var t in await db.Terms.AsNoTracking().Where(t => t.CountyCode == county).Select(t => new { t.Id, t.Name }).ToListAsync(ct).ConfigureAwait(false))
        {
            names.Record("Term", t.Id.ToString(), t.Name).Record("Ledger", t.Id.ToString(), t.Name);
        }
        foreach (var t in await db.Townships.AsNoTracking().Where(t => t.CountyCode == county).Select(t => new { t.Code, t.Name }).ToListAsync(ct).ConfigureAwait(false))
        {
            names.Record("Township", t.Code, t.Name);
        }
        var townships = db.Townships.Where(t => t.CountyCode == county).Select(t => t.Code);
        foreach (var v in await db.Villages.AsNoTracking().Where(v => townships.Contains(v.TownshipCode)).Select(v => new { v.Code, v.Name }).ToListAsync(ct).ConfigureAwait(false))
        {
            names.Record("Village", v.Code, v.Name);
        }
        foreach (var c in await db.Counties.AsNoTracking().Where(c => c.Code == county).Select(c => new { c.Code, c.Name }).ToListAsync(ct).ConfigureAwait(false))
        {
            names.Record("County", c.Code, c.Name).Record("CountyPolicy", c.Code, c.Name);
        }
        var plans = await db.Plans.AsNoTracking().Where(p => p.CountyCode == county).Select(p => new { p.Id, p.StudentId }).ToDictionaryAsync(p => p.Id.Value, p => p.StudentId, ct).ConfigureAwait(false);
        foreach (var (id, child) in plans.Where(p => ids.Contains(p.Key)))
        {
            names.Record("Plan", id.ToString(), Child(child));
        }
        foreach (var v in await db.PlanVersions.AsNoTracking().Where(v => ids.Contains(v.Id)).Select(v => new { v.Id, v.PlanId, v.Number }).ToListAsync(ct).ConfigureAwait(false))
        {
            if (plans.TryGetValue(v.PlanId.Value, out var child))
            {
                names.Record("PlanVersion", v.Id.ToString(), string.Create(CultureInfo.InvariantCulture, $"{Child(child)} 第{v.Number}版"));
            }
        }
        foreach (var v in await db.Visits.AsNoTracking().Where(v => v.CountyCode == county && ids.Contains(v.Id)).Select(v => new { v.Id, v.StudentId, v.Date }).ToListAsync(ct).ConfigureAwait(false))
        {
            names.Record("VisitRecord", v.Id.ToString(), $"{Child(v.StudentId)} {Zh.ShortDate(v.Date)}");
        }
        foreach (var p in await db.VisitPhotos.AsNoTracking().Where(p => p.CountyCode == county && ids.Contains(p.Id)).Select(p => new { p.Id, p.StudentId }).ToListAsync(ct).ConfigureAwait(false))
        {
            names.Record("VisitPhoto", p.Id.ToString(), Child(p.StudentId));
        }
        foreach (var a in await db.Assessments.AsNoTracking().Where(a => ids.Contains(a.Id)).Select(a => new { a.Id, a.StudentId }).ToListAsync(ct).ConfigureAwait(false))
        {
            if (children.ContainsKey(a.StudentId.Value))
            {
                names.Record("Assessment", a.Id.ToString(), Child(a.StudentId));
            }
        }
        foreach (var x in await db.Exits.AsNoTracking().Where(x => x.CountyCode == county && ids.Contains(x.Id)).Select(x => new { x.Id, x.StudentId }).ToListAsync(ct).ConfigureAwait(false))
        {
            names.Record("StudentExit", x.Id.ToString(), Child(x.StudentId));
        }
        foreach (var l in await db.Leave.AsNoTracking().Where(l => l.CountyCode == county && ids.Contains(l.Id)).Select(l => new { l.Id, l.StaffId, l.FirstDay, l.LastDay }).ToListAsync(ct).ConfigureAwait(false))
        {
            names.Record("StaffLeave", l.Id.ToString(), $"{names.NameOf("Staff", l.StaffId.ToString()) ?? "（未知人员）"} {Zh.ShortDate(l.FirstDay)}–{Zh.ShortDate(l.LastDay)}");
        }
        foreach (var u in await db.Users.AsNoTracking().Where(u => u.CountyCode == county).Select(u => new { u.Id, u.UserName, u.DisplayName }).ToListAsync(ct).ConfigureAwait(false))
        {
            var shown = string.IsNullOrWhiteSpace(u.DisplayName) ? u.UserName ?? "" : u.DisplayName;
            names.Record("AppUser", u.Id, shown);
            if (u.UserName is { } login)
            {
                names.Actor(login, shown);
            }
        }
        return names;
    }

    /// <summary>Re-hashes every row in order; the first row whose hash or link does not match is where the chain breaks.</summary>
    public async Task<Result<AuditVerification>> VerifyAsync(CancellationToken ct)
    {
        if (!me.May(Permission.ReadAudit))
        {
            return Refusal.NotAllowed();
        }
        return await VerifyChainAsync(db, ct).ConfigureAwait(false);
    }

    /// <summary>The check itself, without a caller: also what a backup and a restore run on the file they check.</summary>
    public static async Task<AuditVerification> VerifyChainAsync(AppDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var previous = AuditChain.Genesis;
        long count = 0;
        await foreach (var e in db.Audit.AsNoTracking().OrderBy(e => e.Id).AsAsyncEnumerable().WithCancellation(ct).ConfigureAwait(false))
        {
            count++;
            if (e.PreviousHash != previous || AuditChain.HashOf(e) != e.Hash)
            {
                return new AuditVerification(false, count, e.Id);
            }
            previous = e.Hash;
        }
        return new AuditVerification(true, count, null);
    }
}
