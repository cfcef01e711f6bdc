using System.Data.Common;
using ControlDropout.Web.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Health;

public sealed record HealthResponse(string Status);

/// <summary><c>GET /health</c>: open to load balancers; answers only whether the database answers.</summary>
public static class HealthEndpoints
{
    /// <summary>The cheapest statement the database must still execute: a round trip, no table, no plan worth caching.</summary>
    public const string Probe = "SELECT 1";

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", Check).AllowAnonymous().WithTags("Health");
        return app;
    }

    /// <summary>
    /// One statement on a pooled connection. Opened through EF so that a new physical SQLite connection still gets
    /// its pragmas (once, <see cref="SqlitePragmas"/>); not <c>CanConnectAsync</c>, which on SQLite also asks the
    /// file system whether the database exists before it opens anything.
    /// </summary>
    public static async Task<Results<Ok<HealthResponse>, ProblemHttpResult>> Check(AppDbContext db, CancellationToken cancellationToken) =>
        await AnswersAsync(db, cancellationToken).ConfigureAwait(false)
            ? TypedResults.Ok(new HealthResponse("ok"))
            : TypedResults.Problem(title: "database unavailable", statusCode: StatusCodes.Status503ServiceUnavailable);

    private static async Task<bool> AnswersAsync(AppDbContext db, CancellationToken ct)
    {
        try
        {
            await db.Database.OpenConnectionAsync(ct).ConfigureAwait(false);
            try
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = Probe;
                return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 1;
            }
            finally
            {
                await db.Database.CloseConnectionAsync().ConfigureAwait(false);
            }
        }
        catch (DbException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            // A connection string that names no reachable server, a pool exhausted: the database does not answer.
            return false;
        }
    }
}
