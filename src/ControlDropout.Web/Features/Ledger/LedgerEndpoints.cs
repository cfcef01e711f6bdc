using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Ledger;

/// <summary>The ledger (台账) over HTTP: a file, or the refusal as a problem.</summary>
public static class LedgerEndpoints
{
    public static IEndpointRouteBuilder MapLedger(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/ledger", async (Guid? termId, string? format, bool? unmask, LedgerExport ledger, CancellationToken ct) =>
                (await ledger.ExportAsync(termId, format, unmask == true, ct).ConfigureAwait(false)).ToHttp(f => f.ToHttp()))
            .WithTags("Ledger").RequireAuthorization(p => p.RequireRole(Permissions.RolesWith(Permission.ExportRecords)));
        return app;
    }
}
