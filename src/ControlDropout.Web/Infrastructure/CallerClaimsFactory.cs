using System.Security.Claims;
using ControlDropout.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ControlDropout.Web.Infrastructure;

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
