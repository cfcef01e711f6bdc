using System.Globalization;
using ControlDropout.Web.Data;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace ControlDropout.Web.Features.Auth;

public sealed record LoginRequest(string UserName, string Password);

public sealed record ChangePasswordRequest(string CurrentPassword, string NewPassword);

/// <summary>
/// <c>POST /api/auth/login</c> gives API clients a bearer token; <c>GET /api/auth/me</c> says who the token is;
/// sign-out, a password change and an admin's "sign out everywhere" end every token and cookie of the user.
/// </summary>
public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/login", Login).AllowAnonymous().RequireRateLimiting(ApiSetup.LoginRateLimit);
        group.MapGet("/me", (SignIns s) => TypedResults.Ok(s.Me()));
        group.MapPost("/logout", async (SignIns s) => (await s.SignOutAsync().ConfigureAwait(false)).ToHttp(_ => TypedResults.NoContent()));
        group.MapPost("/password", async (ChangePasswordRequest r, SignIns s, HttpContext http) =>
            Answer(await s.ChangePasswordAsync(r.CurrentPassword, r.NewPassword).ConfigureAwait(false), s, http).ToHttp(_ => TypedResults.NoContent()))
            .RequireRateLimiting(ApiSetup.LoginRateLimit);
        app.MapGroup("/api/users").WithTags("Auth")
            .RequireAuthorization(p => p.RequireRole(Permissions.RolesWith(Permission.ManageUsers)))
            .MapPost("/{id}/sign-out-everywhere", async (string id, SignIns s) =>
                (await s.SignOutEverywhereAsync(id).ConfigureAwait(false)).ToHttp(_ => TypedResults.NoContent()));
        return app;
    }

    public static async Task<Results<SignInHttpResult, ValidationProblem, ProblemHttpResult>> Login(LoginRequest request, SignIns signIns, IUserClaimsPrincipalFactory<AppUser> principals, HttpContext http)
    {
        var result = Answer(await signIns.CheckAsync(request.UserName, request.Password).ConfigureAwait(false), signIns, http);
        if (result.Refusal is { IsValidation: true } invalid)
        {
            return invalid.ToValidationProblem();
        }
        if (result.Refusal is { } refused)
        {
            return refused.ToProblem();
        }
        var principal = await principals.CreateAsync(result.Value).ConfigureAwait(false);
        // The bearer handler answers {tokenType: "Bearer", accessToken, expiresIn, refreshToken}.
        return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
    }

    /// <summary>A throttled attempt says when to come back.</summary>
    private static Result<T> Answer<T>(Result<T> result, SignIns signIns, HttpContext http)
    {
        if (signIns.RetryAfter is { } wait)
        {
            http.Response.Headers.RetryAfter = LoginThrottle.RetryAfterSeconds(wait);
        }
        return result;
    }
}
