using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;

namespace ControlDropout.Web.Features.Visits;

/// <summary>
/// 确认码: the 4-digit code printed on a family's 课表 card, which the guardian reads out (or types) on the
/// teacher's phone to confirm a visit. Derived, not stored: HMAC of the child and the term under a server key,
/// so it rotates with every term and no table of codes can leak; only the printed card carries it.
/// </summary>
// Shared: Visits matches the code the guardian gives, People prints it on the family's card (issue 14 §1, §4).
[ControlDropout.Web.Infrastructure.SharedRule]
public sealed class ConfirmationCodes(AppDbContext db)
{
    private const string KeyName = "family-code-key";
    public const int Digits = 4;
    private const int Modulus = 10_000;

    public async Task<string> ForAsync(StudentId child, TermId term, CancellationToken ct)
    {
        var key = await ServerKeys.KeyAsync(db, KeyName, ct).ConfigureAwait(false);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{child}:{term}"));
        var number = BitConverter.ToUInt32(mac, 0) % Modulus;
        return number.ToString("D4", CultureInfo.InvariantCulture);
    }

    /// <summary>Whether <paramref name="code"/> is the child's code this term (compared in constant time).</summary>
    public async Task<bool> MatchesAsync(StudentId child, TermId term, string? code, CancellationToken ct)
    {
        if (code is null || code.Trim().Length != Digits)
        {
            return false;
        }
        var expected = await ForAsync(child, term, ct).ConfigureAwait(false);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(code.Trim()));
    }
}
