using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Auth;

/// <summary>A new account of the county. The password is checked and hashed, never logged, stored or echoed.</summary>
public sealed record NewUserRequest(string UserName, string DisplayName, string Role, Guid? SchoolId, Guid? StaffId, string Password)
{
    /// <summary>Never print the password (records print every property by default).</summary>
    public override string ToString() => $"NewUserRequest {{ UserName = {UserName}, Role = {Role} }}";
}

/// <summary>An account as the admin sees it: no hash, no stamp, no password.</summary>
public sealed record UserDto(string Id, string UserName, string DisplayName, string Role, Guid? SchoolId, string? SchoolName, Guid? StaffId, string? StaffName);

/// <summary>A user name of ASCII letters, digits and <c>-_.</c>; a display name; one of the four roles an admin may give; a password.</summary>
public sealed class NewUserRequestValidator : AbstractValidator<NewUserRequest>
{
    public static readonly NewUserRequestValidator Instance = new();

    public NewUserRequestValidator()
    {
        RuleFor(r => r.UserName)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage("请填写用户名")
            .Must(v => v is null || v.Length <= Validation.NameLength).WithMessage($"用户名不能超过 {Validation.NameLength} 个字符")
            .Must(v => string.IsNullOrEmpty(v) || v.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')).WithMessage("用户名只能用英文字母、数字和 - _ .");
        RuleFor(r => r.DisplayName).Name("姓名");
        RuleFor(r => r.Role).Must(r => r is not null && Accounts.GrantableRoles.Contains(r)).WithMessage("角色须为审批人、协调员、送教教师或督导之一");
        RuleFor(r => r.Password).Must(p => !string.IsNullOrEmpty(p)).WithMessage("请填写初始密码");
    }
}

/// <summary>
/// 账号: the county admin creates the county's accounts (never another admin: that is <c>create-admin</c> on the server)
/// and lists them. A coordinator is tied to a school of the county, a teacher to a staff record no other account has.
/// </summary>
public sealed class Accounts(AppDbContext db, CurrentUser me, UserManager<AppUser> users)
{
    public static readonly string[] GrantableRoles = [Roles.Approver, Roles.Coordinator, Roles.Teacher, Roles.Auditor];

    public async Task<Result<List<UserDto>>> ListAsync(CancellationToken ct)
    {
        if (!me.May(Permission.ManageUsers))
        {
            return Refusal.NotAllowed();
        }
        var county = me.CountyCode;
        var rows = await (from u in db.Users.AsNoTracking()
                          where u.CountyCode == county
                          join ur in db.UserRoles on u.Id equals ur.UserId into urs
                          from ur in urs.DefaultIfEmpty()
                          join r in db.Roles on ur.RoleId equals r.Id into rs
                          from r in rs.DefaultIfEmpty()
                          select new { u.Id, u.UserName, u.DisplayName, Role = r == null ? "" : r.Name, u.SchoolId, u.StaffId })
            .ToListAsync(ct).ConfigureAwait(false);
        var schools = await db.Schools.AsNoTracking().Where(s => s.CountyCode == county).ToDictionaryAsync(s => s.Id, s => s.Name, ct).ConfigureAwait(false);
        var staff = await db.Staff.AsNoTracking().Where(s => s.CountyCode == county).ToDictionaryAsync(s => s.Id, s => s.Name, ct).ConfigureAwait(false);
        return rows.GroupBy(r => r.Id).Select(g => g.First())
            .OrderBy(r => r.UserName, StringComparer.Ordinal)
            .Select(r => new UserDto(r.Id, r.UserName ?? "", r.DisplayName, r.Role ?? "",
                r.SchoolId?.Value, r.SchoolId is { } s ? schools.GetValueOrDefault(s) : null,
                r.StaffId?.Value, r.StaffId is { } t ? staff.GetValueOrDefault(t) : null))
            .ToList();
    }

    public async Task<Result<UserDto>> CreateAsync(NewUserRequest request, CancellationToken ct)
    {
        if (!me.May(Permission.ManageUsers))
        {
            return Refusal.NotAllowed();
        }
        if (Validation.Check(NewUserRequestValidator.Instance, request) is { } invalid)
        {
            return invalid;
        }
        var user = new AppUser { UserName = request.UserName, CountyCode = me.CountyCode, DisplayName = request.DisplayName.Trim() };
        string? schoolName = null, staffName = null;
        if (request.Role == Roles.Coordinator)
        {
            var schoolId = new SchoolId(request.SchoolId ?? Guid.Empty);
            var school = request.SchoolId is null ? null
                : await db.Schools.AsNoTracking().SingleOrDefaultAsync(s => s.Id == schoolId && s.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
            if (school is null)
            {
                return Refusal.Invalid("schoolId", request.SchoolId is null ? "协调员须选择所在学校" : "所选学校不在本县");
            }
            (user.SchoolId, schoolName) = (school.Id, school.Name);
        }
        if (request.Role == Roles.Teacher)
        {
            var staffId = new StaffId(request.StaffId ?? Guid.Empty);
            var staff = request.StaffId is null ? null
                : await db.Staff.AsNoTracking().SingleOrDefaultAsync(s => s.Id == staffId && s.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
            if (staff is null)
            {
                return Refusal.Invalid("staffId", request.StaffId is null ? "送教教师须选择本人的人员记录" : "所选人员不在本县");
            }
            if (await db.Users.AnyAsync(u => u.StaffId == staff.Id, ct).ConfigureAwait(false))
            {
                return Refusal.Conflict("staff_has_account", $"{staff.Name}已有账号", "staffId");
            }
            (user.StaffId, staffName) = (staff.Id, staff.Name);
        }
        if (await users.FindByNameAsync(request.UserName).ConfigureAwait(false) is not null)
        {
            return Refusal.Conflict("duplicate_user", $"用户名“{request.UserName}”已被使用", "userName");
        }
        var weak = new List<IdentityError>();
        foreach (var rule in users.PasswordValidators)
        {
            weak.AddRange((await rule.ValidateAsync(users, user, request.Password).ConfigureAwait(false)).Errors);
        }
        if (weak.Count > 0)
        {
            return Refusal.Invalid([.. weak.Select(e => PasswordMessage(e, users.Options.Password)).Distinct().Select(m => new ApiError("password", m))]);
        }
        // The account and its role in one transaction: never an account without a role.
        await using (var transaction = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false))
        {
            var created = await users.CreateAsync(user, request.Password).ConfigureAwait(false);
            if (!created.Succeeded)
            {
                return Refused(created);
            }
            var granted = await users.AddToRoleAsync(user, request.Role).ConfigureAwait(false);
            if (!granted.Succeeded)
            {
                return Refused(granted);
            }
            // Identity's role rows are not on the trail by themselves: say who was given which role, and for what.
            var scope = user.SchoolId is { } sc ? $"; school: {sc}" : user.StaffId is { } st ? $"; staff: {st}" : "";
            await db.SaveChangesWithEventAsync("role-granted", nameof(AppUser), user.Id, $"role: {request.Role}{scope}", ct).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
        }
        return new UserDto(user.Id, user.UserName, user.DisplayName, request.Role, user.SchoolId?.Value, schoolName, user.StaffId?.Value, staffName);
    }

    private Refusal Refused(IdentityResult result) => result.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateUserName))
        ? Refusal.Conflict("duplicate_user", "用户名已被使用", "userName")
        : Refusal.Invalid([.. result.Errors.Select(e => e.Code.StartsWith("Password", StringComparison.Ordinal)
            ? new ApiError("password", PasswordMessage(e, users.Options.Password))
            : new ApiError("userName", "用户名不合要求"))]);

    /// <summary>Identity's password rules in Chinese.</summary>
    public static string PasswordMessage(IdentityError error, PasswordOptions rules) => error.Code switch
    {
        nameof(IdentityErrorDescriber.PasswordTooShort) => $"密码至少 {rules.RequiredLength} 位",
        nameof(IdentityErrorDescriber.PasswordRequiresDigit) => "密码须含数字",
        nameof(IdentityErrorDescriber.PasswordRequiresLower) => "密码须含小写字母",
        nameof(IdentityErrorDescriber.PasswordRequiresUpper) => "密码须含大写字母",
        nameof(IdentityErrorDescriber.PasswordRequiresNonAlphanumeric) => "密码须含符号（如 - _ ! @）",
        nameof(IdentityErrorDescriber.PasswordRequiresUniqueChars) => $"密码须含至少 {rules.RequiredUniqueChars} 个不同字符",
        _ => "密码不合要求",
    };
}

/// <summary><c>GET /api/users</c> and <c>POST /api/users</c> (the admin; sign-out-everywhere is in <see cref="AuthEndpoints"/>).</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/users").WithTags("Auth").RequireAuthorization(p => p.RequireRole(Permissions.RolesWith(Permission.ManageUsers)));
        group.MapGet("/", async (Accounts accounts, CancellationToken ct) => (await accounts.ListAsync(ct).ConfigureAwait(false)).ToOk());
        group.MapPost("/", async (NewUserRequest request, Accounts accounts, CancellationToken ct) =>
            (await accounts.CreateAsync(request, ct).ConfigureAwait(false)).ToCreated(u => $"/api/users/{u.Id}"));
        return app;
    }
}
