using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Imports;

/// <summary>
/// A file the import page has checked, kept in the database for 30 minutes under its user and SHA-256, so that
/// 导入 commits exactly the file that was checked (the page posts back the hash, not the file) — also when the
/// second request reaches another instance. Its own database scope, so keeping a file never saves whatever the
/// page's own context holds (a dry run's unsaved rows).
/// </summary>
public sealed class CheckedUploads(IServiceScopeFactory scopes, TimeProvider clock)
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(30);

    /// <summary>A user's newest checked files kept at most; older ones are forgotten (the page only ever needs the last).</summary>
    public const int KeptPerUser = 3;

    public async Task KeepAsync(string userName, string sha256, string kind, byte[] content, string fileName, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // Expired files of anyone, and this file checked before, go first.
        await db.CheckedUploads.Where(u => u.KeptUntilUnixSeconds < now || (u.UserName == userName && u.Sha256 == sha256)).ExecuteDeleteAsync(ct).ConfigureAwait(false);
        var keptUntil = now + (long)KeptFor.TotalSeconds;
        db.CheckedUploads.Add(new CheckedUpload { UserName = userName, Sha256 = sha256, Kind = kind, FileName = fileName, Content = content, KeptUntilUnixSeconds = keptUntil });
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        var older = await db.CheckedUploads.Where(u => u.UserName == userName).OrderByDescending(u => u.KeptUntilUnixSeconds).ThenBy(u => u.Sha256)
            .Skip(KeptPerUser).Select(u => u.Sha256).ToListAsync(ct).ConfigureAwait(false);
        if (older.Count > 0)
        {
            await db.CheckedUploads.Where(u => u.UserName == userName && older.Contains(u.Sha256)).ExecuteDeleteAsync(ct).ConfigureAwait(false);
        }
    }

    public async Task<Upload?> FindAsync(string userName, string sha256, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.CheckedUploads.AsNoTracking()
            .Where(u => u.UserName == userName && u.Sha256 == sha256 && u.KeptUntilUnixSeconds >= now)
            .Select(u => new Upload(u.Kind, u.Content, u.FileName)).SingleOrDefaultAsync(ct).ConfigureAwait(false);
    }

    public async Task ForgetAsync(string userName, string sha256, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.CheckedUploads.Where(u => u.UserName == userName && u.Sha256 == sha256).ExecuteDeleteAsync(ct).ConfigureAwait(false);
    }

    public sealed record Upload(string Kind, byte[] Content, string FileName);
}
