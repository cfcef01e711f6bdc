using ControlDropout.Web.Data;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Audit;

public sealed record AuditEntryDto(long Id, DateTimeOffset At, string Actor, string Role, string Action, string ObjectType, string ObjectId, string Summary, string RequestId);

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
        return rows.Select(e => new AuditEntryDto(e.Id, e.At, e.Actor, e.Role, e.Action, e.ObjectType, e.ObjectId, e.Summary, e.RequestId)).ToList();
    }

    /// <summary>Re-hashes every row in order; the first row whose hash or link does not match is where the chain breaks.</summary>
    public async Task<Result<AuditVerification>> VerifyAsync(CancellationToken ct)
    {
        if (!me.May(Permission.ReadAudit))
        {
            return Refusal.NotAllowed();
        }
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
