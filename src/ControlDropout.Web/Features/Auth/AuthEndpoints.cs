using System.Security.Claims;
using ControlDropout.Web.Data;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace ControlDropout.Web.Features.Auth;

public sealed record LoginRequest(string UserName, string Password);

public sealed record MeResponse(string UserName, string Role, string CountyCode, string? SchoolId, string? StaffId);

/// <summary><c>POST /api/auth/login</c> gives API clients a bearer token; <c>GET /api/auth/me</c> says who the token is.</summary>
public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/login", Login).AllowAnonymous().RequireRateLimiting(ApiSetup.LoginRateLimit);
        group.MapGet("/me", Me);
        return app;
    }

    public static async Task<Results<SignInHttpResult, ProblemHttpResult>> Login(
        LoginRequest request, UserManager<AppUser> users, IUserClaimsPrincipalFactory<AppUser> principals)
    {
        var (user, refusal) = await CheckAsync(request, users).ConfigureAwait(false);
        if (user is null)
        {
            return Problems.Status(StatusCodes.Status401Unauthorized, refusal!.Code, refusal.Message);
        }
        var principal = await principals.CreateAsync(user).ConfigureAwait(false);
        // The bearer handler answers {tokenType: "Bearer", accessToken, expiresIn, refreshToken}.
        return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
    }

    /// <summary>The one password check, for the API's tokens and the pages' cookie alike: failures count toward lock-out.</summary>
    public static async Task<(AppUser? User, ApiError? Refusal)> CheckAsync(LoginRequest request, UserManager<AppUser> users)
    {
        var invalid = new ApiError("invalid_credentials", "用户名或密码不正确");
        if (string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrEmpty(request.Password))
        {
            return (null, invalid);
        }
        var user = await users.FindByNameAsync(request.UserName).ConfigureAwait(false);
        if (user is null)
        {
            return (null, invalid);
        }
        if (await users.IsLockedOutAsync(user).ConfigureAwait(false))
        {
            return (null, new ApiError("locked_out", "登录失败次数过多，账号已暂时锁定"));
        }
        if (!await users.CheckPasswordAsync(user, request.Password).ConfigureAwait(false))
        {
            await users.AccessFailedAsync(user).ConfigureAwait(false);
            return (null, invalid);
        }
        await users.ResetAccessFailedCountAsync(user).ConfigureAwait(false);
        return (user, null);
    }

    public static Ok<MeResponse> Me(ClaimsPrincipal user)
    {
        var caller = Caller.From(user);
        return TypedResults.Ok(new MeResponse(caller.UserName, caller.Role, caller.CountyCode, caller.SchoolId?.ToString(), caller.StaffId?.ToString()));
    }
}
