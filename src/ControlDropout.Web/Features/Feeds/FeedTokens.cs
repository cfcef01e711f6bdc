using System.Security.Cryptography;
using System.Text;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Feeds;

/// <summary>
/// Secret feed tokens. A token is 128 bits derived from a server key and the staff member's feed
/// version (HMAC-SHA-256, truncated), written base64url. Only its SHA-256 is stored, for lookup; the
/// staff member's own page can show the URL again because the server can derive it, and a reset
/// raises the version so the old URL dies on the next request.
/// </summary>
public sealed class FeedTokens(AppDbContext db)
{
    private const string SecretName = "feed-token-key";
    public const int TokenBytes = 16;

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private Task<byte[]> KeyAsync(CancellationToken ct) => ServerKeys.KeyAsync(db, SecretName, ct);

    /// <summary>The staff member's current token; stores its hash if it is not stored yet.</summary>
    public async Task<string> CurrentAsync(Staff staff, CancellationToken ct)
    {
        var key = await KeyAsync(ct).ConfigureAwait(false);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{staff.Id}:{staff.FeedVersion}"));
        var token = Base64Url(mac.AsSpan(0, TokenBytes));
        var hash = Hash(token);
        if (staff.FeedTokenHash != hash)
        {
            staff.FeedTokenHash = hash;
            // The stored feed answers to the new token in the same save: a reset's old URL dies with it.
            if (await db.Set<FeedDocument>().FindAsync([staff.Id], ct).ConfigureAwait(false) is { } stored)
            {
                stored.TokenHash = hash;
            }
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        return token;
    }

    /// <summary>Kills the old URL and returns the new token.</summary>
    public async Task<string> ResetAsync(Staff staff, CancellationToken ct)
    {
        staff.FeedVersion++;
        staff.FeedTokenHash = null;
        return await CurrentAsync(staff, ct).ConfigureAwait(false);
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
