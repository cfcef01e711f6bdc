using ControlDropout.Web.Data;
using ControlDropout.Web.Features.People;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.Auth;

/// <summary>账号: the county's accounts and a form to create one (the admin).</summary>
[Authorize(Policy = nameof(Permission.ManageUsers))]
public sealed class UsersModel(Accounts accounts, PeopleDirectory people) : PageModel
{
    public sealed class UserForm
    {
        public string? UserName { get; set; }
        public string? DisplayName { get; set; }
        public string Role { get; set; } = Roles.Coordinator;
        public Guid? SchoolId { get; set; }
        public Guid? StaffId { get; set; }
        /// <summary>Posted once, never shown back (the form's password input is always empty).</summary>
        public string? Password { get; set; }
    }

    [BindProperty]
    public UserForm Form { get; set; } = new();

    public List<UserDto> Users { get; } = [];
    public List<SchoolDto> Schools { get; } = [];
    public List<(Guid Id, string Name)> Staff { get; } = [];

    public static string RoleName(string role) => role switch
    {
        Roles.Admin => "管理员",
        Roles.Approver => "审批人（教体局）",
        Roles.Coordinator => "学校协调员",
        Roles.Teacher => "送教教师",
        Roles.Auditor => "督导",
        _ => role,
    };

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        return await LoadAsync(ct).ConfigureAwait(false) ? Page() : Forbid();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await accounts.CreateAsync(new NewUserRequest(Form.UserName?.Trim() ?? "", Form.DisplayName ?? "", Form.Role, Form.SchoolId, Form.StaffId, Form.Password ?? ""), ct).ConfigureAwait(false);
        Form.Password = null;
        if (result.Refusal?.Status == StatusCodes.Status403Forbidden)
        {
            return Forbid();
        }
        if (result.Refused(ModelState, FormFields.Under("Form")))
        {
            await LoadAsync(ct).ConfigureAwait(false);
            return Page();
        }
        TempData["Done"] = $"已创建账号：{result.Value.UserName}（{RoleName(result.Value.Role)}）";
        return RedirectToPage();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var list = await accounts.ListAsync(ct).ConfigureAwait(false);
        if (!list.Succeeded)
        {
            return false;
        }
        Users.AddRange(list.Value);
        Schools.AddRange((await people.SchoolsAsync(ct).ConfigureAwait(false)).Value);
        var staff = await people.ListStaffAsync(ct).ConfigureAwait(false);
        if (staff.Succeeded)
        {
            var linked = Users.Where(u => u.StaffId is not null).Select(u => u.StaffId!.Value).ToHashSet();
            Staff.AddRange(staff.Value.Where(s => !linked.Contains(s.Id)).OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => (s.Id, s.Name)));
        }
        return true;
    }
}
