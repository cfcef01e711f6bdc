using ControlDropout.Web.Data;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.Feeds;

/// <summary>A staff member's own calendar feed: subscribe link, download, QR code, and revoking a leaked link.</summary>
public sealed class MyCalendarModel(AppDbContext db, FeedTokens tokens) : PageModel
{
    public FeedLinks? Links { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Links = Outcome.Value<FeedLinks>(await FeedEndpoints.Links(User, db, tokens, HttpContext, ct).ConfigureAwait(false));
        if (Links is null)
        {
            return NotFound();
        }
        Response.Headers.CacheControl = "private, no-store";
        return Page();
    }

    /// <summary>The QR code as an image of this page, drawn by the API's own handler.</summary>
    public async Task<IActionResult> OnGetQrAsync(CancellationToken ct)
    {
        var result = await FeedEndpoints.QrCode(User, db, tokens, HttpContext, ct).ConfigureAwait(false);
        await result.ExecuteAsync(HttpContext).ConfigureAwait(false);
        return new EmptyResult();
    }

    public async Task<IActionResult> OnPostResetAsync(CancellationToken ct)
    {
        if (Caller.From(User).StaffId is not { } me)
        {
            return NotFound();
        }
        var result = await FeedEndpoints.Reset(me.Value, User, db, tokens, HttpContext, ct).ConfigureAwait(false);
        if (Outcome.Refused(result, ModelState))
        {
            return NotFound();
        }
        TempData["Done"] = "已生成新链接，旧链接已作废；请在手机上重新订阅。";
        return Redirect("/my/calendar");
    }
}
