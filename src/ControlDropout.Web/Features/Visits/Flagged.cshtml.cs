using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.Visits;

/// <summary>Every flagged visit record the caller may see (a coordinator: of their school's children), newest first.</summary>
public sealed class FlaggedModel(VisitRecords visits, CurrentUser me, NameBook names) : PageModel
{
    public NameBook Names => names;
    public List<VisitDto> Visits { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var flagged = await visits.FlaggedAsync(ct).ConfigureAwait(false);
        if (flagged.Refused(ModelState))
        {
            return Forbid();
        }
        await names.LoadAsync(me.CountyCode, ct).ConfigureAwait(false);
        Visits.AddRange(flagged.Value);
        return Page();
    }
}
