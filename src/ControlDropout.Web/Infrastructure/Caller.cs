using System.Security.Claims;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ControlDropout.Web.Infrastructure;

/// <summary>Who is calling, read from the token: every query is scoped with this on the server.</summary>
public sealed record Caller(string UserId, string UserName, string Role, string CountyCode, SchoolId? SchoolId, StaffId? StaffId)
{
    public const string CountyClaim = CurrentUser.CountyClaim;
    public const string SchoolClaim = CurrentUser.SchoolClaim;
    public const string StaffClaim = CurrentUser.StaffClaim;

    public static Caller From(ClaimsPrincipal user) => new(
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "",
        user.Identity?.Name ?? "",
        user.FindFirstValue(ClaimTypes.Role) ?? "",
        user.FindFirstValue(CountyClaim) ?? "",
        Guid.TryParse(user.FindFirstValue(SchoolClaim), out var school) ? new SchoolId(school) : null,
        Guid.TryParse(user.FindFirstValue(StaffClaim), out var staff) ? new StaffId(staff) : null);
}

/// <summary>
/// Puts the county, school and staff record into every token, so that no request has to look them up;
/// the base factory adds the security stamp that <see cref="Features.Auth.SecurityStamps"/> checks on each request.
/// </summary>
public sealed class CallerClaimsFactory(UserManager<AppUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user).ConfigureAwait(false);
        identity.AddClaim(new Claim(CurrentUser.CountyClaim, user.CountyCode));
        if (user.SchoolId is { } school)
        {
            identity.AddClaim(new Claim(CurrentUser.SchoolClaim, school.ToString()));
        }
        if (user.StaffId is { } staff)
        {
            identity.AddClaim(new Claim(CurrentUser.StaffClaim, staff.ToString()));
        }
        return identity;
    }
}
