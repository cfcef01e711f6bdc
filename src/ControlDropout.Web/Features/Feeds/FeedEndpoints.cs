using System.Threading.RateLimiting;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

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
/// staff member's subscription links. Feed bytes are cached per staff member and rebuilt only when
/// the published timetable, one of the staff member's sessions, the feed's version or the day changes.
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

    public static async Task<IResult> Feed(string token, bool? download, HttpContext http, AppDbContext db, FeedBuilder builder, IMemoryCache cache, FeedMissLimiter misses, PublicAddress address, TimeProvider clock, CancellationToken ct)
    {
        var hash = FeedTokens.Hash(token);
        var staff = token.Length is > 10 and < 64 ? await db.Staff.AsNoTracking().SingleOrDefaultAsync(s => s.FeedTokenHash == hash, ct).ConfigureAwait(false) : null;
        if (staff is null)
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
        var latest = await db.Timetables.AsNoTracking().Where(t => t.CountyCode == staff.CountyCode && t.Status == Domain.TimetableStatus.Published)
            .Select(t => t.Id).OrderByDescending(id => id).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        var day = Conventions.ChinaDay(clock.GetUtcNow());
        // Every change to one of the staff member's sessions (a visit recorded, a leave re-plan) raises its sequence:
        // their sum changes with any of them, so a recorded visit is in the next feed, not the next hour's.
        var published = db.Timetables.Where(t => t.CountyCode == staff.CountyCode && t.Status == Domain.TimetableStatus.Published).Select(t => t.Id);
        var changes = await db.SessionStaff.Where(t => t.StaffId == staff.Id.Value).Join(db.Sessions, t => t.SessionId, s => s.Id, (_, s) => s)
            .Where(s => published.Contains(s.TimetableId)).SumAsync(s => s.Sequence, ct).ConfigureAwait(false);
        var key = $"feed:{staff.Id}:{staff.FeedVersion}:{staff.FeedReminderMinutes}:{latest}:{day:yyyyMMdd}:{changes}";
        var content = await cache.GetOrCreateAsync(key, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromHours(1);
            entry.Size = 1;
            // Never the request's Host: the built feed is cached and served to every later request.
            return builder.BuildAsync(staff, address.Base, ct);
        }).ConfigureAwait(false);
        var headers = http.Response.Headers;
        headers.ETag = content!.ETag;
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

    /// <summary>The Cache-Control of a feed: calendar apps keep it and revalidate it with its ETag; no shared cache keeps it.</summary>
    public const string FeedCaching = "private, no-cache";

}
