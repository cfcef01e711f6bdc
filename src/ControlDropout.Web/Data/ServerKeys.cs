using System.Security.Cryptography;
using ControlDropout.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Data;

/// <summary>
/// Server keys (<see cref="ServerSecret"/>): 256 random bits made once per name and kept in the database, so
/// that every instance derives the same feed tokens and family confirmation codes.
/// </summary>
public static class ServerKeys
{
    public static async Task<byte[]> KeyAsync(AppDbContext db, string name, CancellationToken ct)
    {
        var secret = await db.Secrets.FindAsync([name], ct).ConfigureAwait(false);
        if (secret is null)
        {
            secret = new ServerSecret { Name = name, Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
            db.Secrets.Add(secret);
            try
            {
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
            }
            catch (DbUpdateException)
            {
                // Another request created it first: use theirs.
                db.ChangeTracker.Clear();
                secret = await db.Secrets.SingleAsync(s => s.Name == name, ct).ConfigureAwait(false);
            }
        }
        return Convert.FromBase64String(secret.Value);
    }
}
