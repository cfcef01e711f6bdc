using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.Feeds;

/// <summary>A staff member's own calendar feed: subscribe link, download, QR code, and revoking a leaked link.</summary>
public sealed class MyCalendarModel(FeedSubscriptions subscriptions) : PageModel
{
    public FeedLinks? Links { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var links = await subscriptions.LinksAsync(ct).ConfigureAwait(false);
        if (!links.Succeeded)
        {
            return NotFound();
        }
        Links = links.Value;
        return Page();
    }

    /// <summary>The QR code as an image of this page.</summary>
    public async Task<IActionResult> OnGetQrAsync(CancellationToken ct)
    {
        var svg = await subscriptions.QrCodeAsync(ct).ConfigureAwait(false);
        return svg.Succeeded ? Content(svg.Value, "image/svg+xml; charset=utf-8") : NotFound();
    }

    public async Task<IActionResult> OnPostResetAsync(CancellationToken ct)
    {
        var reset = await subscriptions.ResetMineAsync(ct).ConfigureAwait(false);
        if (!reset.Succeeded)
        {
            return NotFound();
        }
        TempData["Done"] = "已生成新链接，旧链接已作废；请在手机上重新订阅。";
        return Redirect("/my/calendar");
    }
}
