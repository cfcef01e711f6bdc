using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.Ledger;

/// <summary>The ledger (台账) and each child's teaching file (送教档案), exported by the same use cases as the API.</summary>
[Authorize(Policy = nameof(Permission.ExportRecords))]
public sealed class DownloadsModel(LedgerExport ledger, CurrentUser me, NameBook names) : PageModel
{
    public string TermName { get; private set; } = "";
    public List<(Guid Id, string Name, string School)> Children { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var index = await ledger.IndexAsync(ct).ConfigureAwait(false);
        if (index.Refused(ModelState))
        {
            return Forbid();
        }
        await names.LoadAsync(me.CountyCode, ct).ConfigureAwait(false);
        TermName = index.Value.TermName;
        Children.AddRange(index.Value.Children.Select(c => (c.Id, c.Name, names.School(c.SchoolId))));
        return Page();
    }

    public async Task<IActionResult> OnGetLedgerAsync(string? format, CancellationToken ct)
    {
        var file = await ledger.ExportAsync(null, format, unmask: false, ct).ConfigureAwait(false);
        return file.Refusal switch
        {
            null => File(file.Value.Content, file.Value.ContentType, file.Value.FileName),
            { Status: StatusCodes.Status403Forbidden } => Forbid(),
            { Status: StatusCodes.Status404NotFound } => NotFound(),
            { } refusal => await RefusedAsync(refusal, ct).ConfigureAwait(false),
        };
    }

    private async Task<IActionResult> RefusedAsync(Refusal refusal, CancellationToken ct)
    {
        refusal.AddTo(ModelState);
        return await OnGetAsync(ct).ConfigureAwait(false);
    }
}
