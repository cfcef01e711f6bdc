using ControlDropout.Web.Data;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.Visits;

/// <summary>Every flagged visit record the caller may see, newest first.</summary>
public sealed class FlaggedModel(AppDbContext db, NameBook names) : PageModel
{
    public NameBook Names => names;
    public List<VisitDto> Visits { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var caller = Caller.From(User);
        if (caller.Role == Roles.Teacher)
        {
            return Forbid();
        }
        await names.LoadAsync(caller.CountyCode, ct).ConfigureAwait(false);
        Visits.AddRange((await VisitEndpoints.List(null, null, null, true, User, db, ct).ConfigureAwait(false)).Value!.OrderByDescending(v => v.Date));
        return Page();
    }
}
