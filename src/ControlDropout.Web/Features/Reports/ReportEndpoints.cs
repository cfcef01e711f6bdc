using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Reports;

/// <summary>Monthly and term reports over HTTP: JSON by default, or the file (xlsx, printable html).</summary>
public static class ReportEndpoints
{
    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/reports").WithTags("Reports")
            .RequireAuthorization(p => p.RequireRole(Permissions.RolesWith(Permission.ReadCoverage)));
        group.MapGet("/monthly", async (string? month, string? format, Reports reports, CancellationToken ct) =>
            (await reports.MonthlyAsync(month, format, ct).ConfigureAwait(false)).ToHttp(a => a.ToHttp()));
        group.MapGet("/term", async (Guid? termId, string? format, Reports reports, CancellationToken ct) =>
            (await reports.TermAsync(termId, format, ct).ConfigureAwait(false)).ToHttp(a => a.ToHttp()));
        return app;
    }
}
