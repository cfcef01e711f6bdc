using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Coverage;

/// <summary>Weekly coverage over HTTP: one week with its roll-ups, and the term matrix.</summary>
public static class CoverageEndpoints
{
    public static IEndpointRouteBuilder MapCoverage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/coverage", async (Guid? termId, string? week, CoverageReports coverage, CancellationToken ct) =>
                (await coverage.WeekAsync(termId, week, ct).ConfigureAwait(false)).ToOk())
            .WithTags("Coverage").RequireAuthorization(p => p.RequireRole(Permissions.RolesWith(Permission.ReadCoverage)));
        app.MapGet("/api/coverage/matrix", async (Guid? termId, CoverageReports coverage, CancellationToken ct) =>
                (await coverage.MatrixAsync(termId, ct).ConfigureAwait(false)).ToOk())
            .WithTags("Coverage").RequireAuthorization(p => p.RequireRole(Permissions.RolesWith(Permission.ReadCoverage)));
        return app;
    }
}
