using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.Imports;

/// <summary>
/// 名册导入: the template links, an upload checked first (检查, a dry run showing each error by row and column)
/// and then committed (导入). The checked file is kept on the server under the user and its SHA-256 for 30
/// minutes; 导入 posts back only the hash, so what is stored is exactly what was checked.
/// </summary>
[Authorize(Policy = nameof(Permission.Enrol))]
[RequestSizeLimit(ImportEndpoints.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = ImportEndpoints.MaxRequestBytes)]
public sealed class ImportsModel(RosterImport import, RosterTemplates templates, CheckedUploads uploads, CurrentUser me) : PageModel
{
    [BindProperty] public string Kind { get; set; } = ImportKinds.Students;
    [BindProperty] public IFormFile? Upload { get; set; }
    [BindProperty] public string? Sha256 { get; set; }

    public ImportReport? Report { get; private set; }
    public string? FileName { get; private set; }
    public bool Committed { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnGetTemplateAsync(string kind, CancellationToken ct)
    {
        var template = await templates.TemplateAsync(kind, ct).ConfigureAwait(false);
        return template.Succeeded ? template.Value.ToPage() : NotFound();
    }

    public async Task<IActionResult> OnPostCheckAsync(CancellationToken ct)
    {
        if (!ImportKinds.All.Contains(Kind))
        {
            ModelState.AddModelError(nameof(Kind), "请选择要导入的名册");
            return Page();
        }
        if (Upload is null || Upload.Length == 0)
        {
            ModelState.AddModelError(nameof(Upload), "请选择要导入的文件");
            return Page();
        }
        if (Upload.Length > SheetReader.MaxFileBytes)
        {
            ModelState.AddModelError(nameof(Upload), "文件超过 5 MB，请拆分后分批导入");
            return Page();
        }
        using var buffer = new MemoryStream();
        await Upload.CopyToAsync(buffer, ct).ConfigureAwait(false);
        var content = buffer.ToArray();
        var result = await import.ImportAsync(Kind, content, Upload.FileName, commit: false, ct).ConfigureAwait(false);
        if (result.Refused(ModelState, _ => nameof(Upload)))
        {
            return Page();
        }
        Report = result.Value;
        FileName = Upload.FileName;
        Sha256 = Report.Sha256;
        if (Report.Errors.Count == 0)
        {
            await uploads.KeepAsync(me.UserName, Report.Sha256, Kind, content, Upload.FileName, ct).ConfigureAwait(false);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostCommitAsync(CancellationToken ct)
    {
        if (Sha256 is null || await uploads.FindAsync(me.UserName, Sha256, ct).ConfigureAwait(false) is not { } upload)
        {
            ModelState.AddModelError("", "检查结果已过期（30 分钟），请重新选择文件并检查");
            return Page();
        }
        Kind = upload.Kind;
        FileName = upload.FileName;
        var result = await import.ImportAsync(upload.Kind, upload.Content, upload.FileName, commit: true, ct).ConfigureAwait(false);
        if (result.Refused(ModelState, _ => nameof(Upload)))
        {
            return Page();
        }
        Report = result.Value;
        Committed = Report.Errors.Count == 0;
        await uploads.ForgetAsync(me.UserName, Sha256, ct).ConfigureAwait(false);
        return Page();
    }
}
