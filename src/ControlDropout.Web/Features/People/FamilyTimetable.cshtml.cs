using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.People;

/// <summary>家庭课表卡: a child's term on one printable A4 page for the family (<see cref="FamilyCards"/>).</summary>
public sealed class FamilyTimetableModel(FamilyCards cards) : PageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    /// <summary>Another term than the current one (学期), when asked for.</summary>
    [FromQuery(Name = "term")]
    public Guid? TermId { get; set; }

    public FamilyCardDto Card { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var card = await cards.ForAsync(new StudentId(Id), TermId is { } t ? new TermId(t) : null, ct).ConfigureAwait(false);
        if (card.Refusal is { } refusal)
        {
            return refusal.Status == StatusCodes.Status403Forbidden ? Forbid() : NotFound();
        }
        Card = card.Value;
        return Page();
    }
}
