using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.Visits;

/// <summary>
/// A visit photo for the pages (<c>&lt;img src="/photos/{id}"&gt;</c>): a cookie never authorises /api, so the
/// session page and the record read it here, through the same use case (scope, audit) as the API.
/// </summary>
public sealed class PhotoModel(VisitPhotos photos) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var photo = await photos.OpenAsync(id, ct).ConfigureAwait(false);
        if (photo.Refusal is { } refusal)
        {
            return refusal.Status == StatusCodes.Status403Forbidden ? Forbid() : NotFound();
        }
        // As the API serves it: no cache keeps a child's photo, no browser guesses another type for it.
        Response.Headers.CacheControl = "private, no-store";
        Response.Headers.XContentTypeOptions = "nosniff";
        return File(photo.Value.Content, photo.Value.ContentType);
    }
}
