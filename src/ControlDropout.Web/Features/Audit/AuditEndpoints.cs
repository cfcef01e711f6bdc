using System.Security.Claims;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Audit;

public sealed record AuditEntryDto(long Id, DateTimeOffset At, string Actor, string Role, string Action, string ObjectType, string ObjectId, string Summary, string RequestId);

public sealed record AuditVerification(bool Intact, long Entries, long? FirstBrokenId);

/// <summary>The audit trail for auditors: the county's rows, and a check of the whole hash chain.</summary>
public static class AuditEndpoints
{
    public const int PageSize = 200;

    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(Policies.ReadAudit);
        group.MapGet("/", List);
        group.MapGet("/verify", Verify);
        return app;
    }

    public static async Task<Ok<List<AuditEntryDto>>> List(long? before, ClaimsPrincipal user, AppDbContext db, CancellationToken ct)
    {
        var county = Caller.From(user).CountyCode;
        var query = db.Audit.AsNoTracking().Where(e => e.CountyCode == county);
        if (before is { } b)
        {
            query = query.Where(e => e.Id < b);
        }
        var rows = await query.OrderByDescending(e => e.Id).Take(PageSize).ToListAsync(ct).ConfigureAwait(false);
        return TypedResults.Ok(rows.Select(e => new AuditEntryDto(e.Id, e.At, e.Actor, e.Role, e.Action, e.ObjectType, e.ObjectId, e.Summary, e.RequestId)).ToList());
    }

    /// <summary>Re-hashes every row in order; the first row whose hash or link does not match is where the chain breaks.</summary>
    public static async Task<Ok<AuditVerification>> Verify(AppDbContext db, CancellationToken ct)
    {
        var previous = AuditTrail.Genesis;
        long count = 0;
        await foreach (var e in db.Audit.AsNoTracking().OrderBy(e => e.Id).AsAsyncEnumerable().WithCancellation(ct).ConfigureAwait(false))
        {
            count++;
            if (e.PreviousHash != previous || AuditTrail.HashOf(e) != e.Hash)
            {
                return TypedResults.Ok(new AuditVerification(false, count, e.Id));
            }
            previous = e.Hash;
        }
        return TypedResults.Ok(new AuditVerification(true, count, null));
    }
}
