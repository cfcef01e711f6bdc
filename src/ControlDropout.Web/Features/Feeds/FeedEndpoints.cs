using System.Threading.RateLimiting;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Feeds;

public sealed record ReminderRequest(int? Minutes);

/// <summary>Per client address: guessing tokens is slowed down, real subscriptions are not.</summary>
public sealed class FeedMissLimiter : IDisposable
{
    public const int MissesPerMinute = 20;

    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(ip =>
        RateLimitPartition.GetFixedWindowLimiter(ip, _ => new FixedWindowRateLimiterOptions { PermitLimit = MissesPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));

    public RateLimitLease Miss(string ip) => _limiter.AttemptAcquire(ip);

    public void Dispose() => _limiter.Dispose();
}

/// <summary>
/// The secret calendar feeds (<c>/feeds/{token}.ics</c>, open without a login) and the signed-in
/// staff member's subscription links. A request reads the feed <see cref="StoredFeeds"/> wrote when it last
/// changed: one query, no cache of its own, so every instance serves what the database holds.
/// </summary>
public static class FeedEndpoints
{
    private const string NotFoundBody = "Not Found";

    public static IEndpointRouteBuilder MapFeeds(this IEndpointRouteBuilder app)
    {
        app.MapGet("/feeds/{token}.ics", Feed).AddEndpointFilter(Telemetry.CountFeedHit).AllowAnonymous().WithTags("Feeds").ExcludeFromDescription();
        var me = app.MapGroup("/api/staff").WithTags("Feeds");
        me.MapGet("/me/feed", async (FeedSubscriptions f, CancellationToken ct) => (await f.LinksAsync(ct).ConfigureAwait(false)).ToOk());
        me.MapGet("/me/feed/qr.svg", async (FeedSubscriptions f, CancellationToken ct) =>
            (await f.QrCodeAsync(ct).ConfigureAwait(false)).ToHttp(svg => TypedResults.Content(svg, "image/svg+xml; charset=utf-8")));
        me.MapPut("/me/feed/reminder", async (ReminderRequest r, FeedSubscriptions f, CancellationToken ct) => (await f.SetReminderAsync(r, ct).ConfigureAwait(false)).ToOk());
        me.MapPost("/{id:guid}/feed/reset", async (Guid id, FeedSubscriptions f, CancellationToken ct) => (await f.ResetAsync(new StaffId(id), ct).ConfigureAwait(false)).ToOk());
        return app;
    }

    public static async Task<IResult> Feed(string token, bool? download, HttpContext http, AppDbContext db, StoredFeeds feeds, FeedMetrics metrics, FeedMissLimiter misses, CancellationToken ct)
    {
        if (token.Length is <= 10 or >= 64)
        {
            return Miss(http, misses);
        }
        var hash = FeedTokens.Hash(token);
        var (stored, fresh) = await feeds.ReadAsync(hash, ct).ConfigureAwait(false);
        FeedContent content;
        if (fresh)
        {
            content = stored!.Content;
            metrics.Served();
        }
        else
        {
            // No row yet (an old database, a first link), a version superseded by a path that wrote no feeds, or a new day.
            var staff = await db.Staff.AsNoTracking().SingleOrDefaultAsync(s => s.FeedTokenHash == hash, ct).ConfigureAwait(false);
            if (staff is null)
            {
                return Miss(http, misses);
            }
            content = await feeds.BuildOnRequestAsync(staff, ct).ConfigureAwait(false);
        }
        var headers = http.Response.Headers;
        headers.ETag = content.ETag;
        headers.LastModified = content.LastModified.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        headers.CacheControl = FeedCaching;
        headers["Referrer-Policy"] = "no-referrer";
        if (http.Request.Headers.IfNoneMatch.ToString() == content.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        if (download == true)
        {
            headers.ContentDisposition = "attachment; filename=\"songjiao.ics\"";
        }
        return Results.Bytes(content.Bytes, "text/calendar; charset=utf-8");
    }

    private static IResult Miss(HttpContext http, FeedMissLimiter misses)
    {
        using var lease = misses.Miss(http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        if (!lease.IsAcquired)
        {
            http.Response.Headers.RetryAfter = "60";
            return Results.Text("Too Many Requests", "text/plain; charset=utf-8", statusCode: StatusCodes.Status429TooManyRequests);
        }
        // Unknown and revoked tokens look exactly alike.
        return Results.Text(NotFoundBody, "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
    }

    /// <summary>The Cache-Control of a feed: calendar apps keep it and revalidate it with its ETag; no shared cache keeps it.</summary>
    public const string FeedCaching = "private, no-cache";

}
