using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.Auth;

/// <summary>
/// Signing out is a POST with an antiforgery token: a link on another site cannot sign anyone out.
/// It ends the user's every session (a new security stamp), so a copied cookie is worthless afterwards.
/// </summary>
public sealed class LogoutModel(SignIns signIns) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await signIns.SignOutAsync().ConfigureAwait(false);
        await HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme).ConfigureAwait(false);
        return Redirect("/login");
    }
}
