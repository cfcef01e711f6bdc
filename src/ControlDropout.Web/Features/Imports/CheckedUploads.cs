using Microsoft.Extensions.Caching.Memory;

namespace ControlDropout.Web.Features.Imports;

/// <summary>
/// A file the import page has checked, kept on the server for 30 minutes under its user and SHA-256, so that
/// 导入 commits exactly the file that was checked (the page posts back the hash, not the file).
/// Its own cache, bounded in bytes, so uploads cannot crowd out the app's other cached entries.
/// </summary>
public sealed class CheckedUploads : IDisposable
{
    private static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(30);
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 200L * 1024 * 1024 });

    public void Keep(string userName, string sha256, string kind, byte[] content, string fileName) =>
        _cache.Set((userName, sha256), new Upload(kind, content, fileName), new MemoryCacheEntryOptions { Size = content.Length + 1, AbsoluteExpirationRelativeToNow = KeptFor });

    public Upload? Find(string userName, string sha256) => _cache.TryGetValue((userName, sha256), out Upload? upload) ? upload : null;

    public void Forget(string userName, string sha256) => _cache.Remove((userName, sha256));

    public void Dispose() => _cache.Dispose();

    public sealed record Upload(string Kind, byte[] Content, string FileName);
}
