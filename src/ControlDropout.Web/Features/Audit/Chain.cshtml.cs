using ControlDropout.Web.Data;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.Audit;

/// <summary>The audit trail: its newest entries, and a check of the whole hash chain on request.</summary>
[Authorize(Policy = Policies.ReadAudit)]
public sealed class ChainModel(AppDbContext db) : PageModel
{
    public AuditVerification? Check { get; private set; }
    public List<AuditEntryDto> Entries { get; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Entries.AddRange((await AuditEndpoints.List(null, User, db, ct).ConfigureAwait(false)).Value!);

    /// <summary>A POST: the check reads the whole trail, so that a crawler following links never starts one.</summary>
    public async Task OnPostAsync(CancellationToken ct)
    {
        Check = (await AuditEndpoints.Verify(db, ct).ConfigureAwait(false)).Value;
        await OnGetAsync(ct).ConfigureAwait(false);
    }
}
