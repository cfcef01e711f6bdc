using ControlDropout.Web.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlDropout.Web.Features.Health;

public sealed record HealthResponse(string Status);

/// <summary><c>GET /health</c>: open to load balancers; answers only whether the database answers.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", Check).AllowAnonymous().WithTags("Health");
        return app;
    }

    public static async Task<Results<Ok<HealthResponse>, ProblemHttpResult>> Check(AppDbContext db, CancellationToken cancellationToken) =>
        await db.Database.CanConnectAsync(cancellationToken).ConfigureAwait(false)
            ? TypedResults.Ok(new HealthResponse("ok"))
            : TypedResults.Problem(title: "database unavailable", statusCode: StatusCodes.Status503ServiceUnavailable);
}
