using System.Buffers.Binary;
using System.Security.Cryptography;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Timetables;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using SkiaSharp;

namespace ControlDropout.Web.Features.Visits;

/// <summary>A stored visit photo as the API answers it.</summary>
public sealed record PhotoDto(Guid Id, int Width, int Height, DateTimeOffset? CapturedAt);

/// <summary>A photo's bytes to serve (always the re-encoded copy, never the upload).</summary>
public sealed record PhotoFile(byte[] Content, string ContentType);

/// <summary>
/// 送教照片: uploaded by whoever may record the session, checked by content, re-encoded and stored outside the
/// database under its hash; served only to those who may see the child.
/// </summary>
public sealed partial class VisitPhotos(AppDbContext db, CurrentUser me, TimeProvider clock, IConfiguration configuration, ILogger<VisitPhotos> log)
{
    public const int MaxPerRecord = 3;
    public const long MaxBytes = 5 * 1024 * 1024;

    /// <summary>Uploads one session may hold in all (retries, replaced shots): a session cannot fill the disk.</summary>
    public const int MaxPerSession = 10;

    /// <summary>A phone's camera makes 12–50 MP; more than this, or a side longer than <see cref="MaxSide"/>, is a decompression bomb.</summary>
    public const long MaxPixels = 40_000_000;

    public const int MaxSide = 12_000;

    /// <summary>The stored copy's long side: enough to see a child's work on an inspector's screen, small on a phone's plan.</summary>
    public const int StoredLongSide = 1600;

    public const int JpegQuality = 82;

    public const string ContentType = "image/jpeg";

    public const string Missing = "请选择照片";

    public const string TooLargeMessage = "照片不能超过 5 MB";

    /// <summary>The upload over the size limit (the endpoint's and the session page's reader answer it).</summary>
    public static readonly Refusal TooLarge = new(StatusCodes.Status413PayloadTooLarge, "too_large", TooLargeMessage, [new ApiError(Uploads.Field, TooLargeMessage)]);

    /// <summary>The request a page posting a photo accepts: the photo and the form around it.</summary>
    public const long MaxRequestBytes = MaxBytes + Uploads.MultipartOverheadBytes;

    /// <summary>
    /// Decoding holds a picture's pixels in memory (up to 160 MB for 40 MP): two at a time at most, on a small
    /// county server, so a burst of uploads queues instead of exhausting memory.
    /// </summary>
    private static readonly SemaphoreSlim Decoding = new(2, 2);

    /// <summary>
    /// A page's posted file as <see cref="StoreAsync"/> takes it (the session page's handler binds an <see cref="IFormFile"/>
    /// and passes this on): no file is "请选择照片", a file over <see cref="MaxBytes"/> is <see cref="TooLarge"/>.
    /// </summary>
    public static async Task<Result<Upload>> UploadOf(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            return Refusal.Invalid(Uploads.Field, Missing);
        }
        if (file.Length > MaxBytes)
        {
            return TooLarge;
        }
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct).ConfigureAwait(false);
        return new Upload(buffer.ToArray(), file.FileName);
    }

    private static Refusal NotAnImage(string message = "照片须为 JPEG、PNG 或 WebP 图片") =>
        new(StatusCodes.Status400BadRequest, "not_an_image", message, [new ApiError(Uploads.Field, message)]);

    private static Refusal ImageTooLarge() =>
        new(StatusCodes.Status400BadRequest, "image_too_large", "照片像素过大（最多 4000 万像素，边长不超过 12000）",
            [new ApiError(Uploads.Field, "照片像素过大（最多 4000 万像素，边长不超过 12000）")]);

    private static Refusal NotYourSession() => Refusal.Forbidden("not_your_session", "只有该课次的送教团队成员或本校协调员可以上传照片");

    /// <summary>Stores a photo of the session <paramref name="sessionKey"/> (the upload as read by <see cref="Uploads.ReadAsync"/>).</summary>
    public async Task<Result<PhotoDto>> StoreAsync(string sessionKey, Result<Upload> upload, CancellationToken ct)
    {
        if (!me.May(Permission.RecordVisits))
        {
            return Refusal.NotAllowed();
        }
        if (await PublishedSessionAsync(sessionKey, ct).ConfigureAwait(false) is not { } session)
        {
            return Refusal.NotFound();
        }
        var child = await db.Students.AsNoTracking().SingleOrDefaultAsync(s => s.Id == session.StudentId && s.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
        if (child is null)
        {
            return Refusal.NotFound();
        }
        if (!MayRecord(session, child))
        {
            return NotYourSession();
        }
        // What was sent is judged only after scope: another county's session is 404 whatever the body was.
        if (upload.Refusal is { } unreadable)
        {
            return unreadable;
        }
        var bytes = upload.Value.Content;
        if (bytes.Length == 0)
        {
            return Refusal.Invalid(Uploads.Field, Missing);
        }
        if (bytes.Length > MaxBytes)
        {
            return TooLarge;
        }
        if (await db.VisitPhotos.CountAsync(p => p.CountyCode == me.CountyCode && p.SessionKey == sessionKey, ct).ConfigureAwait(false) >= MaxPerSession)
        {
            return Refusal.Conflict("too_many_photos", $"该课次已上传 {MaxPerSession} 张照片，不能再上传");
        }
        Result<(byte[] Jpeg, int Width, int Height)> processed;
        await Decoding.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            processed = Reencode(bytes);
        }
        finally
        {
            Decoding.Release();
        }
        if (!processed.Succeeded)
        {
            return processed.Refusal!;
        }
        var (jpeg, width, height) = processed.Value;
        var sha = Convert.ToHexStringLower(SHA256.HashData(jpeg));
        await WriteOnceAsync(sha, jpeg, ct).ConfigureAwait(false);
        var photo = new VisitPhoto
        {
            CountyCode = me.CountyCode, SessionKey = session.SessionKey, StudentId = session.StudentId, Sha256 = sha, ContentType = ContentType,
            Width = width, Height = height, Length = jpeg.Length, CapturedAt = ExifCapture.Read(bytes),
            UploadedBy = me.UserName, UploadedAt = clock.GetUtcNow(),
        };
        db.VisitPhotos.Add(photo);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return new PhotoDto(photo.Id, photo.Width, photo.Height, photo.CapturedAt);
    }

    /// <summary>A photo's re-encoded bytes for a caller who may see its child; 404 otherwise.</summary>
    public async Task<Result<PhotoFile>> OpenAsync(Guid id, CancellationToken ct)
    {
        if (!me.May(Permission.RecordVisits) && !me.May(Permission.ReadCoverage))
        {
            return Refusal.NotAllowed();
        }
        var photo = await db.VisitPhotos.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id && p.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
        // Whoever took the photo may see it again (a substitute who has since left the team); others by the child.
        if (photo is null || (photo.UploadedBy != me.UserName && !await MaySeeChildAsync(photo.StudentId, ct).ConfigureAwait(false)))
        {
            return Refusal.NotFound();
        }
        var path = PathOf(photo.Sha256);
        byte[] content;
        try
        {
            content = await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            PhotoMissing(log, photo.Id);
            return new Refusal(StatusCodes.Status404NotFound, "photo_missing", "照片文件已丢失，请联系管理员", []);
        }
        await db.RecordReadAsync("viewed", "VisitPhoto", photo.Id.ToString(), $"送教照片 {photo.Sha256[..12]}", ct).ConfigureAwait(false);
        return new PhotoFile(content, photo.ContentType);
    }

    /// <summary>
    /// Who may see a child's photos: a teacher on a team of one of the child's published sessions, a coordinator of the
    /// child's school, the county's other roles the county.
    /// </summary>
    private async Task<bool> MaySeeChildAsync(StudentId childId, CancellationToken ct)
    {
        var child = await db.Students.AsNoTracking().SingleOrDefaultAsync(s => s.Id == childId && s.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
        if (child is null)
        {
            return false;
        }
        if (me.IsTeacher)
        {
            if (me.StaffId is not { } staff)
            {
                return false;
            }
            var myself = staff.Value;
            // A team of a published (or since superseded) timetable: a draft's proposal grants nothing yet.
            var counted = db.Timetables.Where(t => t.CountyCode == me.CountyCode && (t.Status == TimetableStatus.Published || t.Status == TimetableStatus.Superseded))
                .Select(t => t.Id);
            return await db.SessionStaff.Where(t => t.StaffId == myself).Join(db.Sessions, t => t.SessionId, s => s.Id, (_, s) => s)
                .AnyAsync(s => s.StudentId == childId && counted.Contains(s.TimetableId), ct).ConfigureAwait(false);
        }
        return me.ActsFor(child.SchoolOfRecordId);
    }

    /// <summary>The same rule as <see cref="VisitRecords"/>: the session's team, or the coordinator of the child's school.</summary>
    private bool MayRecord(TimetableSession session, Student child) => me.Holds(session, child);

    private Task<TimetableSession?> PublishedSessionAsync(string key, CancellationToken ct) => SessionScope.PublishedAsync(db, me.CountyCode, key, ct);

    /// <summary>
    /// Decoded by content (JPEG, PNG or WebP; the name is never asked), its size judged from the header before any
    /// pixel is decoded, turned upright, shrunk to <see cref="StoredLongSide"/> and written anew as JPEG: nothing of
    /// the original file (EXIF, GPS, comments, trailing bytes) reaches the store.
    /// </summary>
    public static Result<(byte[] Jpeg, int Width, int Height)> Reencode(byte[] original)
    {
        ArgumentNullException.ThrowIfNull(original);
        using var data = SKData.CreateCopy(original);
        using var codec = SKCodec.Create(data);
        if (codec is null || codec.EncodedFormat is not (SKEncodedImageFormat.Jpeg or SKEncodedImageFormat.Png or SKEncodedImageFormat.Webp))
        {
            return NotAnImage();
        }
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0)
        {
            return NotAnImage();
        }
        if (info.Width > MaxSide || info.Height > MaxSide || (long)info.Width * info.Height > MaxPixels)
        {
            return ImageTooLarge();
        }
        // JPEG decodes at 1/2, 1/4, 1/8 directly: a 12 MP photo is never held whole in memory to be shrunk.
        var longSide = Math.Max(info.Width, info.Height);
        var scaled = longSide > StoredLongSide ? codec.GetScaledDimensions((float)StoredLongSide / longSide) : info.Size;
        if (scaled.Width < 1 || scaled.Height < 1 || Math.Max(scaled.Width, scaled.Height) < Math.Min(StoredLongSide, longSide))
        {
            scaled = info.Size;
        }
        var decodeInfo = new SKImageInfo(scaled.Width, scaled.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var decoded = new SKBitmap(decodeInfo);
        var result = codec.GetPixels(decodeInfo, decoded.GetPixels());
        if (result is not SKCodecResult.Success)
        {
            // A truncated or damaged file: half a picture is no evidence.
            return NotAnImage("照片文件已损坏或不完整，请重新拍摄或选择");
        }
        var factor = Math.Min(1.0, (double)StoredLongSide / Math.Max(scaled.Width, scaled.Height));
        var width = Math.Max(1, (int)Math.Round(scaled.Width * factor));
        var height = Math.Max(1, (int)Math.Round(scaled.Height * factor));
        var origin = codec.EncodedOrigin;
        var swaps = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (outWidth, outHeight) = swaps ? (height, width) : (width, height);
        using var upright = new SKBitmap(new SKImageInfo(outWidth, outHeight, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(upright))
        {
            // JPEG has no transparency: a PNG's transparent parts become white, not black.
            canvas.Clear(SKColors.White);
            canvas.SetMatrix(Orientation(origin, width, height));
            using var image = SKImage.FromBitmap(decoded);
            canvas.DrawImage(image, SKRect.Create(width, height), new SKSamplingOptions(SKCubicResampler.Mitchell), null);
        }
        using var encoded = upright.Encode(SKEncodedImageFormat.Jpeg, JpegQuality);
        if (encoded is null)
        {
            return NotAnImage();
        }
        return (encoded.ToArray(), outWidth, outHeight);
    }

    /// <summary>The EXIF orientation as a drawing matrix, for an image drawn at <paramref name="w"/>×<paramref name="h"/>.</summary>
    private static SKMatrix Orientation(SKEncodedOrigin origin, float w, float h) => origin switch
    {
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
        _ => SKMatrix.Identity,
    };

    /// <summary>
    /// The store: <c>Storage:Photos</c>, else a <c>photos</c> folder beside the database file. Outside the database so
    /// that backups of the records stay small and a photo is never read by a query.
    /// </summary>
    public string Root
    {
        get
        {
            if (configuration["Storage:Photos"] is { Length: > 0 } configured)
            {
                return Path.GetFullPath(configured);
            }
            var database = configuration["Database:Path"]
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "ControlDropout", "controldropout.db");
            return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(database))!, "photos");
        }
    }

    /// <summary>Content-addressed: <c>{root}/{sha[0..2]}/{sha}.jpg</c>.</summary>
    public string PathOf(string sha) => Path.Combine(Root, sha[..2], sha + ".jpg");

    /// <summary>Written to a temporary file and moved into place, so no reader ever sees half a photo; the same bytes stored before are reused.</summary>
    private async Task WriteOnceAsync(string sha, byte[] content, CancellationToken ct)
    {
        var path = PathOf(sha);
        if (File.Exists(path))
        {
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await File.WriteAllBytesAsync(temp, content, ct).ConfigureAwait(false);
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // The same photo stored at the same moment by another request: its copy is the same bytes.
        }
        finally
        {
            File.Delete(temp);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "visit photo {PhotoId}: its file is missing from the photo store")]
    private static partial void PhotoMissing(ILogger logger, Guid photoId);
}

/// <summary>
/// The capture time (EXIF DateTimeOriginal, 0x9003, with OffsetTimeOriginal, 0x9011, when present; Beijing time when not)
/// of a JPEG, PNG or WebP, read before the original is discarded. Total: every offset is checked against the bytes,
/// and any malformed structure answers "no capture time", never an exception.
/// </summary>
public static class ExifCapture
{
    private const int MaxEntries = 512;

    public static DateTimeOffset? Read(ReadOnlySpan<byte> file)
    {
        var tiff = TiffOf(file);
        return tiff.IsEmpty ? null : FromTiff(tiff);
    }

    /// <summary>The TIFF structure inside the file's EXIF block, or empty.</summary>
    private static ReadOnlySpan<byte> TiffOf(ReadOnlySpan<byte> file)
    {
        if (file.Length >= 4 && file[0] == 0xFF && file[1] == 0xD8)
        {
            return JpegExif(file);
        }
        if (file.Length >= 8 && file[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return PngExif(file);
        }
        if (file.Length >= 12 && file[..4].SequenceEqual("RIFF"u8) && file.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return WebpExif(file);
        }
        return [];
    }

    private static ReadOnlySpan<byte> JpegExif(ReadOnlySpan<byte> file)
    {
        var at = 2;
        while (at + 4 <= file.Length)
        {
            if (file[at] != 0xFF)
            {
                return [];
            }
            var marker = file[at + 1];
            if (marker == 0xFF)
            {
                at++;
                continue;
            }
            // Start of scan or end of image: no metadata follows that a camera writes.
            if (marker is 0xDA or 0xD9)
            {
                return [];
            }
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                at += 2;
                continue;
            }
            var length = (file[at + 2] << 8) | file[at + 3];
            if (length < 2 || at + 2 + length > file.Length)
            {
                return [];
            }
            var body = file.Slice(at + 4, length - 2);
            if (marker == 0xE1 && body.Length > 6 && body[..6].SequenceEqual("Exif\0\0"u8))
            {
                return body[6..];
            }
            at += 2 + length;
        }
        return [];
    }

    private static ReadOnlySpan<byte> PngExif(ReadOnlySpan<byte> file)
    {
        var at = 8;
        while (at + 12 <= file.Length)
        {
            var length = (long)BinaryPrimitives.ReadUInt32BigEndian(file.Slice(at, 4));
            if (at + 12 + length > file.Length)
            {
                return [];
            }
            var type = file.Slice(at + 4, 4);
            if (type.SequenceEqual("eXIf"u8))
            {
                return file.Slice(at + 8, (int)length);
            }
            if (type.SequenceEqual("IEND"u8))
            {
                return [];
            }
            at += 12 + (int)length;
        }
        return [];
    }

    private static ReadOnlySpan<byte> WebpExif(ReadOnlySpan<byte> file)
    {
        var at = 12;
        while (at + 8 <= file.Length)
        {
            var length = (long)BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(at + 4, 4));
            if (at + 8 + length > file.Length)
            {
                return [];
            }
            var body = file.Slice(at + 8, (int)length);
            if (file.Slice(at, 4).SequenceEqual("EXIF"u8))
            {
                // Some writers keep the JPEG's "Exif\0\0" prefix in the chunk.
                return body.Length > 6 && body[..6].SequenceEqual("Exif\0\0"u8) ? body[6..] : body;
            }
            at += 8 + (int)length + (int)(length & 1);
        }
        return [];
    }

    private static DateTimeOffset? FromTiff(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8)
        {
            return null;
        }
        bool little;
        if (tiff[0] == 'I' && tiff[1] == 'I')
        {
            little = true;
        }
        else if (tiff[0] == 'M' && tiff[1] == 'M')
        {
            little = false;
        }
        else
        {
            return null;
        }
        if (U16(tiff, 2, little) != 42)
        {
            return null;
        }
        // IFD0 points to the Exif IFD (0x8769), which holds the capture time.
        if (Entry(tiff, U32(tiff, 4, little), 0x8769, little) is not { } exifPointer || exifPointer.Type is not (4 or 13) || exifPointer.Count != 1)
        {
            return null;
        }
        var exifIfd = U32(tiff, exifPointer.ValueAt, little);
        if (exifIfd is not { } ifd || Ascii(tiff, Entry(tiff, ifd, 0x9003, little), little) is not { } taken)
        {
            return null;
        }
        if (!DateTime.TryParseExact(taken.Trim(), "yyyy:MM:dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var local) || local.Year < 1990)
        {
            return null;
        }
        var offset = Conventions.ChinaOffset;
        if (Ascii(tiff, Entry(tiff, ifd, 0x9011, little), little) is { } written && OffsetOf(written.Trim()) is { } declared)
        {
            offset = declared;
        }
        return new DateTimeOffset(local, offset);
    }

    /// <summary>"+08:00" / "-05:30"; anything else (including the "   :  " of cameras that leave it blank) is no offset.</summary>
    private static TimeSpan? OffsetOf(string text)
    {
        if (text.Length != 6 || text[0] is not ('+' or '-') || text[3] != ':'
            || !int.TryParse(text.AsSpan(1, 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var hours)
            || !int.TryParse(text.AsSpan(4, 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var minutes)
            || hours > 14 || minutes > 59)
        {
            return null;
        }
        var span = new TimeSpan(hours, minutes, 0);
        return text[0] == '-' ? -span : span;
    }

    private readonly record struct IfdEntry(int Type, long Count, int ValueAt);

    /// <summary>The entry with <paramref name="tag"/> in the IFD at <paramref name="ifd"/>; null when absent or out of bounds.</summary>
    private static IfdEntry? Entry(ReadOnlySpan<byte> tiff, long? ifd, int tag, bool little)
    {
        if (ifd is not { } start || start < 8 || start + 2 > tiff.Length)
        {
            return null;
        }
        var count = U16(tiff, (int)start, little) ?? 0;
        if (count > MaxEntries)
        {
            return null;
        }
        for (var i = 0; i < count; i++)
        {
            var at = (int)start + 2 + (i * 12);
            if (at + 12 > tiff.Length)
            {
                return null;
            }
            if (U16(tiff, at, little) == tag)
            {
                return new IfdEntry(U16(tiff, at + 2, little) ?? 0, U32(tiff, at + 4, little) ?? 0, at + 8);
            }
        }
        return null;
    }

    /// <summary>An ASCII entry's text (inline when it fits in four bytes, else at its offset), or null.</summary>
    private static string? Ascii(ReadOnlySpan<byte> tiff, IfdEntry? entry, bool little)
    {
        if (entry is not { Type: 2 } e || e.Count is < 1 or > 64)
        {
            return null;
        }
        long at = e.ValueAt;
        if (e.Count > 4)
        {
            if (U32(tiff, e.ValueAt, little) is not { } offset)
            {
                return null;
            }
            at = offset;
        }
        if (at < 0 || at + e.Count > tiff.Length)
        {
            return null;
        }
        var bytes = tiff.Slice((int)at, (int)e.Count);
        var end = bytes.IndexOf((byte)0);
        if (end >= 0)
        {
            bytes = bytes[..end];
        }
        foreach (var b in bytes)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return null;
            }
        }
        return System.Text.Encoding.ASCII.GetString(bytes);
    }

    private static int? U16(ReadOnlySpan<byte> b, int at, bool little) =>
        at < 0 || at + 2 > b.Length ? null : little ? b[at] | (b[at + 1] << 8) : (b[at] << 8) | b[at + 1];

    private static long? U32(ReadOnlySpan<byte> b, int at, bool little) =>
        at < 0 || at + 4 > b.Length ? null : little ? BinaryPrimitives.ReadUInt32LittleEndian(b.Slice(at, 4)) : BinaryPrimitives.ReadUInt32BigEndian(b.Slice(at, 4));
}
