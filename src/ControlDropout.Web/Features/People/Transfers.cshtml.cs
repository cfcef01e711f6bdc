using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.People;

/// <summary>Children transferred in from another county: the receiving bureau reads the notice, enrols the child anew and acknowledges it.</summary>
[Authorize(Policy = nameof(Permission.ReceiveTransfers))]
public sealed class TransfersModel(ChildPath path) : PageModel
{
    public List<TransferNoticeDto> Notices { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var result = await path.TransfersAsync(ct).ConfigureAwait(false);
        if (result.Refusal is not null)
        {
            return Forbid();
        }
        Notices.AddRange(result.Value);
        return Page();
    }

    public async Task<IActionResult> OnPostAcknowledgeAsync(Guid id, CancellationToken ct)
    {
        var result = await path.AcknowledgeAsync(id, ct).ConfigureAwait(false);
        return result.Refusal?.Status switch
        {
            null => RedirectToPage(),
            StatusCodes.Status403Forbidden => Forbid(),
            _ => NotFound(),
        };
    }
}
