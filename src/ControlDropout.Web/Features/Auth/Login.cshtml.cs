using ControlDropout.Web.Data;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace ControlDropout.Web.Features.Auth;

/// <summary>Sign-in for the pages: the same users, password rules and lock-out as the API, with a cookie instead of a token.</summary>
[AllowAnonymous]
[EnableRateLimiting(ApiSetup.LoginRateLimit)]
public sealed class LoginModel(UserManager<AppUser> users, IUserClaimsPrincipalFactory<AppUser> principals) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string UserName { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? LocalRedirect(Target()) : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var (user, refusal) = await AuthEndpoints.CheckAsync(new LoginRequest(UserName, Password), users).ConfigureAwait(false);
        if (user is null)
        {
            ModelState.AddModelError("", refusal!.Message);
            return Page();
        }
        var principal = await principals.CreateAsync(user).ConfigureAwait(false);
        await HttpContext.SignInAsync(IdentityConstants.ApplicationScheme, principal).ConfigureAwait(false);
        return LocalRedirect(Target());
    }

    /// <summary>Only a path on this site: a login link can never send someone elsewhere.</summary>
    private string Target() => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";
}
