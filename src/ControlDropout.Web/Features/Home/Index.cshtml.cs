using ControlDropout.Web.Data;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.Home;

/// <summary>Everyone starts on the page their job starts with.</summary>
public sealed class IndexModel(CurrentUser me) : PageModel
{
    public static string HomeOf(string role) => role switch
    {
        Roles.Approver or Roles.Admin => "/approve",
        Roles.Coordinator => "/children",
        Roles.Teacher => "/my/week",
        Roles.Auditor => "/inspect",
        _ => "/denied",
    };

    public IActionResult OnGet() => Redirect(HomeOf(me.Role));
}
