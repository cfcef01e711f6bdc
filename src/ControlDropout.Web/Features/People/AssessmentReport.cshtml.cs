using ControlDropout.Web.Domain;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.People;

/// <summary>The committee's report file of an assessment, for whoever may see the child; each download is audited.</summary>
public sealed class AssessmentReportModel(AssessmentReports reports) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, Guid aid, CancellationToken ct)
    {
        var file = await reports.DownloadAsync(new StudentId(id), aid, ct).ConfigureAwait(false);
        return file.Succeeded ? File(file.Value.Content, file.Value.ContentType, file.Value.FileName) : NotFound();
    }
}
