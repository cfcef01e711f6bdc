using System.Security.Claims;
using ControlDropout.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace ControlDropout.Web.Features.Auth;

/// <summary>
/// Every cookie and bearer token carries the user's security stamp at sign-in (Identity's claims
/// factory puts it there). Signing out, a password change and an admin's "sign out everywhere" give
/// the user a new stamp; each request compares its stamp with the current one, so every older cookie
/// and token of that user stops working at once. The current stamp is cached briefly and evicted on
/// the instance that changed it; another instance notices within <see cref="CacheFor"/>.
/// </summary>
public sealed class SecurityStamps(IMemoryCache cache, IServiceScopeFactory scopes, IOptions<IdentityOptions> identity)
{
    /// <summary>How long another instance may still accept an old stamp.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private static string Key(string userId) => "security-stamp:" + userId;

    public string ClaimType => identity.Value.ClaimsIdentity.SecurityStampClaimType;

    /// <summary>The user's current stamp; null for a user that no longer exists.</summary>
    public async Task<string?> CurrentAsync(string userId, CancellationToken ct)
    {
        if (cache.TryGetValue(Key(userId), out string? stamp))
        {
            return stamp;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        stamp = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleOrDefaultAsync(ct).ConfigureAwait(false);
        cache.Set(Key(userId), stamp, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = CacheFor, Size = 1 });
        return stamp;
    }

    /// <summary>Whether a signed-in principal still holds its user's current stamp.</summary>
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        var held = user.FindFirstValue(ClaimType);
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(held))
        {
            return false;
        }
        var current = await CurrentAsync(id, ct).ConfigureAwait(false);
        return current is not null && string.Equals(current, held, StringComparison.Ordinal);
    }

    /// <summary>Ends every cookie and token of the user: a new stamp, and this instance forgets the old one now.</summary>
    public async Task<IdentityResult> RenewAsync(UserManager<AppUser> users, AppUser user)
    {
        var result = await users.UpdateSecurityStampAsync(user).ConfigureAwait(false);
        Forget(user.Id);
        return result;
    }

    public void Forget(string userId) => cache.Remove(Key(userId));
}

/// <summary>The check on every request, for cookies and bearer tokens alike (between authentication and authorization).</summary>
public static class SecurityStampCheck
{
    public static IApplicationBuilder UseSecurityStampCheck(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.User.Identity?.IsAuthenticated == true)
        {
            var stamps = context.RequestServices.GetRequiredService<SecurityStamps>();
            if (!await stamps.IsCurrentAsync(context.User, context.RequestAborted).ConfigureAwait(false))
            {
                // An ended session: the request goes on as anonymous, so the fallback policy answers it
                // as it answers anyone signed out (401 for the API, a redirect to /login for pages).
                if (!Infrastructure.ApiSetup.IsApi(context.Request))
                {
                    await context.SignOutAsync(IdentityConstants.ApplicationScheme).ConfigureAwait(false);
                }
                context.User = new ClaimsPrincipal(new ClaimsIdentity());
            }
        }
        await next(context).ConfigureAwait(false);
    });
}
