using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.Audit;

/// <summary>The audit trail: its newest entries, and a check of the whole hash chain on request.</summary>
[Authorize(Policy = nameof(Permission.ReadAudit))]
public sealed class ChainModel(AuditQueries audit) : PageModel
{
    public AuditVerification? Check { get; private set; }
    public List<AuditEntryDto> Entries { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var entries = await audit.ListAsync(null, ct).ConfigureAwait(false);
        if (entries.Refused(ModelState))
        {
            return Forbid();
        }
        Entries.AddRange(entries.Value);
        return Page();
    }

    /// <summary>A POST: the check reads the whole trail, so that a crawler following links never starts one.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var check = await audit.VerifyAsync(ct).ConfigureAwait(false);
        if (check.Refused(ModelState))
        {
            return Forbid();
        }
        Check = check.Value;
        return await OnGetAsync(ct).ConfigureAwait(false);
    }
}
