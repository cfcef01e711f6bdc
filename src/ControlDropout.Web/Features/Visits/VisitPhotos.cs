using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Visits;

/// <summary>A stored visit photo as the API answers it.</summary>
public sealed record PhotoDto(Guid Id, int Width, int Height, DateTimeOffset? CapturedAt);

/// <summary>A photo's bytes to serve (always the re-encoded copy, never the upload).</summary>
public sealed record PhotoFile(byte[] Content, string ContentType);

/// <summary>
/// 送教照片: uploaded by whoever may record the session, checked by content, re-encoded and stored outside the
/// database under its hash; served only to those who may see the child.
/// </summary>
public sealed class VisitPhotos
{
    public const int MaxPerRecord = 3;
    public const long MaxBytes = 5 * 1024 * 1024;

    /// <summary>Stores a photo of the session <paramref name="sessionKey"/> (the upload as read by <see cref="Uploads.ReadAsync"/>).</summary>
    public Task<Result<PhotoDto>> StoreAsync(string sessionKey, Result<Upload> upload, CancellationToken ct) =>
        throw new NotImplementedException("foundation: filled in by the photo helper");

    /// <summary>A photo's re-encoded bytes for a caller who may see its child; 404 otherwise.</summary>
    public Task<Result<PhotoFile>> OpenAsync(Guid id, CancellationToken ct) =>
        throw new NotImplementedException("foundation: filled in by the photo helper");
}
