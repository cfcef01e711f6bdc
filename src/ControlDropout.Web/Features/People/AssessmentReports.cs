using System.Security.Cryptography;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.People;

/// <summary>
/// The expert committee's report (评估报告) kept with an assessment: a PDF or a photo of the signed page.
/// What a file is, is read from its first bytes, never from its name or the browser's word; reading it
/// back is scoped like the child and audited, as it names a minor and their disability.
/// </summary>
public sealed class AssessmentReports(AppDbContext db, CurrentUser me, PeopleDirectory directory, TimeProvider clock)
{
    /// <summary>A scanned report of a few pages; more is a photo album, not a report.</summary>
    public const int MaxBytes = 5 * 1024 * 1024;

    public const string TooLarge = "评估报告文件不能超过 5 MB";
    public const string Missing = "请选择评估报告文件（multipart/form-data，字段名 file）";

    /// <summary>The request the page accepts: the report and the assessment's form around it.</summary>
    public const long MaxRequestBytes = MaxBytes + Uploads.MultipartOverheadBytes;

    public static readonly Refusal TooLargeRefusal = new(StatusCodes.Status413PayloadTooLarge, "too_large", TooLarge, [new ApiError(Uploads.Field, TooLarge)]);
    public const string NotADocument = "评估报告须为 PDF、JPEG 或 PNG 文件";

    /// <summary>A report file read back: its bytes, type and name.</summary>
    public sealed record ReportFile(byte[] Content, string ContentType, string FileName);

    /// <summary>
    /// Attaches (or replaces) the report of an assessment of a child the caller may enrol. The upload as it was
    /// read (or why it could not be) is judged after scope, so another county's child is 404 whatever was sent.
    /// </summary>
    public async Task<Result<AssessmentDto>> AttachAsync(StudentId id, Guid assessmentId, Result<Upload> upload, CancellationToken ct)
    {
        if (!me.May(Permission.RecordAssessments))
        {
            return Refusal.NotAllowed();
        }
        var student = await directory.VisibleStudentAsync(id, ct).ConfigureAwait(false);
        var assessment = student?.Assessments.SingleOrDefault(a => a.Id == assessmentId);
        if (student is null || assessment is null)
        {
            return Refusal.NotFound();
        }
        if (upload.Refusal is { } unreadable)
        {
            return unreadable;
        }
        var (bytes, fileName) = upload.Value;
        if (bytes.Length == 0)
        {
            return Refusal.Invalid(Uploads.Field, Missing);
        }
        if (bytes.Length > MaxBytes)
        {
            return TooLargeRefusal;
        }
        if (TypeOf(bytes) is not { } type)
        {
            return Refusal.Invalid(Uploads.Field, NotADocument);
        }
        var document = new StoredDocument
        {
            CountyCode = me.CountyCode, Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), FileName = SafeName(fileName, type.Extension),
            ContentType = type.ContentType, Content = bytes, UploadedBy = me.UserName, UploadedAt = clock.GetUtcNow(),
        };
        db.Documents.Add(document);
        assessment.ReportDocumentId = document.Id;
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return new AssessmentDto(assessment.Id, assessment.Date, assessment.Conclusion, assessment.DocumentNo, assessment.Members, assessment.Note, HasReport: true);
    }

    /// <summary>The report of an assessment of a child the caller may see; the read is on the audit trail.</summary>
    public async Task<Result<ReportFile>> DownloadAsync(StudentId id, Guid assessmentId, CancellationToken ct)
    {
        var student = await directory.VisibleStudentReadOnlyAsync(id, ct).ConfigureAwait(false);
        if (student?.Assessments.SingleOrDefault(a => a.Id == assessmentId) is not { ReportDocumentId: { } documentId })
        {
            return Refusal.NotFound();
        }
        var document = await db.Documents.AsNoTracking().SingleOrDefaultAsync(d => d.Id == documentId && d.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
        if (document is null)
        {
            return Refusal.NotFound();
        }
        await db.RecordReadAsync("read-document", "Assessment", assessmentId.ToString(), $"assessment report {document.Sha256[..12]} downloaded", ct).ConfigureAwait(false);
        return new ReportFile(document.Content, document.ContentType, document.FileName);
    }

    /// <summary>The type a file's first bytes say it is: PDF (%PDF-), JPEG (FF D8 FF) or PNG (its 8-byte signature); null for anything else.</summary>
    internal static (string ContentType, string Extension)? TypeOf(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("%PDF-"u8))
        {
            return ("application/pdf", ".pdf");
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return ("image/jpeg", ".jpg");
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return ("image/png", ".png");
        }
        return null;
    }

    /// <summary>The uploaded name without any path, its extension the one the content has, at most 100 characters.</summary>
    private static string SafeName(string? fileName, string extension)
    {
        var name = Path.GetFileNameWithoutExtension(Path.GetFileName((fileName ?? "").Replace('\\', '/')));
        name = new string([.. name.Where(c => !char.IsControl(c) && c is not ('"' or '/' or '\\'))]).Trim();
        if (name.Length == 0)
        {
            name = "评估报告";
        }
        return (name.Length > 100 ? name[..100] : name) + extension;
    }
}
