using ControlDropout.Web.Data;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace ControlDropout.Web.Features.Auth;

/// <summary>Sign-in for the pages: the same users, password check and throttle as the API (<see cref="SignIns"/>), with a cookie instead of a token.</summary>
[AllowAnonymous]
[EnableRateLimiting(ApiSetup.LoginRateLimit)]
public sealed class LoginModel(SignIns signIns, IUserClaimsPrincipalFactory<AppUser> principals) : PageModel
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
        var result = await signIns.CheckAsync(UserName, Password).ConfigureAwait(false);
        if (result.Refused(ModelState))
        {
            if (signIns.RetryAfter is { } wait)
            {
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                Response.Headers.RetryAfter = LoginThrottle.RetryAfterSeconds(wait);
            }
            return Page();
        }
        var principal = await principals.CreateAsync(result.Value).ConfigureAwait(false);
        await HttpContext.SignInAsync(IdentityConstants.ApplicationScheme, principal).ConfigureAwait(false);
        return LocalRedirect(Target());
    }

    /// <summary>Only a path on this site: a login link can never send someone elsewhere.</summary>
    private string Target() => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";
}
