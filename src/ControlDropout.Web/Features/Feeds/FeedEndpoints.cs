using System.Security.Claims;
using System.Threading.RateLimiting;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using QRCoder;

namespace ControlDropout.Web.Features.Feeds;

public sealed record FeedLinks(Guid StaffId, string Url, string WebcalUrl, string DownloadUrl, string QrCodeSvgUrl, int? ReminderMinutes);

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
/// the published timetable, the feed's version or the day changes.
/// </summary>
public static class FeedEndpoints
{
    private const string NotFoundBody = "Not Found";

    public static IEndpointRouteBuilder MapFeeds(this IEndpointRouteBuilder app)
    {
        app.MapGet("/feeds/{token}.ics", Feed).AllowAnonymous().WithTags("Feeds").ExcludeFromDescription();
        var me = app.MapGroup("/api/staff").WithTags("Feeds");
        me.MapGet("/me/feed", Links);
        me.MapGet("/me/feed/qr.svg", QrCode);
        me.MapPut("/me/feed/reminder", SetReminder);
        me.MapPost("/{id:guid}/feed/reset", Reset);
        return app;
    }

    public static async Task<IResult> Feed(string token, bool? download, HttpContext http, AppDbContext db, FeedBuilder builder, IMemoryCache cache, FeedMissLimiter misses, TimeProvider clock, CancellationToken ct)
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
        var day = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddHours(8));
        var key = $"feed:{staff.Id}:{staff.FeedVersion}:{staff.FeedReminderMinutes}:{latest}:{day:yyyyMMdd}";
        var content = await cache.GetOrCreateAsync(key, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromHours(1);
            entry.Size = 1;
            return builder.BuildAsync(staff, $"{http.Request.Scheme}://{http.Request.Host}", ct);
        }).ConfigureAwait(false);
        var headers = http.Response.Headers;
        headers.ETag = content!.ETag;
        headers.LastModified = content.LastModified.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        headers.CacheControl = "private, no-store";
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

    private static async Task<Staff?> MineAsync(ClaimsPrincipal user, AppDbContext db, CancellationToken ct)
    {
        var caller = Caller.From(user);
        return caller.StaffId is { } id
            ? await db.Staff.SingleOrDefaultAsync(s => s.Id == id && s.CountyCode == caller.CountyCode, ct).ConfigureAwait(false)
            : null;
    }

    private static FeedLinks LinksFor(Staff staff, string token, HttpRequest request)
    {
        var host = request.Host.ToString();
        var url = $"{request.Scheme}://{host}/feeds/{token}.ics";
        return new FeedLinks(staff.Id.Value, url, $"webcal://{host}/feeds/{token}.ics", url + "?download=true", "/api/staff/me/feed/qr.svg", staff.FeedReminderMinutes);
    }

    public static async Task<Results<Ok<FeedLinks>, NotFound>> Links(ClaimsPrincipal user, AppDbContext db, FeedTokens tokens, HttpContext http, CancellationToken ct)
    {
        var staff = await MineAsync(user, db, ct).ConfigureAwait(false);
        if (staff is null)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(LinksFor(staff, await tokens.CurrentAsync(staff, ct).ConfigureAwait(false), http.Request));
    }

    public static async Task<Results<ContentHttpResult, NotFound>> QrCode(ClaimsPrincipal user, AppDbContext db, FeedTokens tokens, HttpContext http, CancellationToken ct)
    {
        var staff = await MineAsync(user, db, ct).ConfigureAwait(false);
        if (staff is null)
        {
            return TypedResults.NotFound();
        }
        var links = LinksFor(staff, await tokens.CurrentAsync(staff, ct).ConfigureAwait(false), http.Request);
        using var data = QRCodeGenerator.GenerateQrCode(links.Url, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(6);
        http.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.Content(svg, "image/svg+xml; charset=utf-8");
    }

    public static async Task<Results<Ok<FeedLinks>, NotFound, ValidationProblem>> SetReminder(ReminderRequest request, ClaimsPrincipal user, AppDbContext db, FeedTokens tokens, HttpContext http, CancellationToken ct)
    {
        var staff = await MineAsync(user, db, ct).ConfigureAwait(false);
        if (staff is null)
        {
            return TypedResults.NotFound();
        }
        if (request.Minutes is < 5 or > 24 * 60)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["minutes"] = ["提醒时间须在 5 到 1440 分钟之间，或留空不提醒"] });
        }
        staff.FeedReminderMinutes = request.Minutes;
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return TypedResults.Ok(LinksFor(staff, await tokens.CurrentAsync(staff, ct).ConfigureAwait(false), http.Request));
    }

    public static async Task<Results<Ok<FeedLinks>, NotFound>> Reset(Guid id, ClaimsPrincipal user, AppDbContext db, FeedTokens tokens, HttpContext http, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var own = caller.StaffId?.Value == id;
        if (!own && caller.Role != Roles.Admin)
        {
            return TypedResults.NotFound();
        }
        var staff = await db.Staff.SingleOrDefaultAsync(s => s.Id == new StaffId(id) && s.CountyCode == caller.CountyCode, ct).ConfigureAwait(false);
        if (staff is null)
        {
            return TypedResults.NotFound();
        }
        var token = await tokens.ResetAsync(staff, ct).ConfigureAwait(false);
        return TypedResults.Ok(LinksFor(staff, token, http.Request));
    }
}
