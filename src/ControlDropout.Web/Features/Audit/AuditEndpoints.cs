using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Audit;

/// <summary>The audit trail for auditors: the county's rows, and a check of the whole hash chain.</summary>
public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(p => p.RequireRole(Permissions.RolesWith(Permission.ReadAudit)));
        group.MapGet("/", async (long? before, AuditQueries audit, CancellationToken ct) => (await audit.ListAsync(before, ct).ConfigureAwait(false)).ToOk());
        group.MapGet("/verify", async (AuditQueries audit, CancellationToken ct) => (await audit.VerifyAsync(ct).ConfigureAwait(false)).ToOk());
        return app;
    }
}
