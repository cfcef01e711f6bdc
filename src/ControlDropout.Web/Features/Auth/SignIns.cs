using ControlDropout.Web.Data;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;

namespace ControlDropout.Web.Features.Auth;

public sealed record MeResponse(string UserName, string Role, string CountyCode, string? SchoolId, string? StaffId);

/// <summary>
/// Sign-in, sign-out and passwords: the one door for the API's tokens and the pages' cookie alike.
/// Unknown user names and wrong passwords cost the same (a password hash is verified either way) and
/// get the same answer; guessing is slowed by <see cref="LoginThrottle"/>, never by locking the account.
/// </summary>
public sealed class SignIns(
    UserManager<AppUser> users, IPasswordHasher<AppUser> hasher, LoginThrottle throttle, SecurityStamps stamps,
    CurrentUser me, IHttpContextAccessor http)
{
    public const string InvalidCredentialsMessage = "用户名或密码不正确";

    public static Refusal InvalidCredentials() => new(StatusCodes.Status401Unauthorized, "invalid_credentials", InvalidCredentialsMessage, []);

    public static Refusal TooManyAttempts() => new(StatusCodes.Status429TooManyRequests, "too_many_attempts", "登录尝试过于频繁，请稍后再试", []);

    private static readonly AppUser Nobody = new() { CountyCode = "", UserName = "nobody" };
    private static string? _dummyHash;

    /// <summary>Set when an attempt was refused because it came before its wait was over.</summary>
    public TimeSpan? RetryAfter { get; private set; }

    private System.Net.IPAddress? From => http.HttpContext?.Connection.RemoteIpAddress;

    /// <summary>The one password check: the user, or <c>invalid_credentials</c> / <c>too_many_attempts</c>.</summary>
    public async Task<Result<AppUser>> CheckAsync(string? userName, string? password)
    {
        userName ??= "";
        if (Validation.Check(LoginRequestValidator.Instance, new LoginRequest(userName, password ?? "")) is { } invalid)
        {
            return invalid;
        }
        var wait = throttle.WaitFor(userName, From);
        if (wait > TimeSpan.Zero)
        {
            RetryAfter = wait;
            return TooManyAttempts();
        }
        var user = string.IsNullOrWhiteSpace(userName) ? null : await users.FindByNameAsync(userName).ConfigureAwait(false);
        bool valid;
        if (user?.PasswordHash is null)
        {
            // As long as a real check: a quick "no" would tell which user names exist.
            _dummyHash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString());
            hasher.VerifyHashedPassword(Nobody, _dummyHash, password ?? "");
            valid = false;
        }
        else
        {
            valid = !string.IsNullOrEmpty(password) && await users.CheckPasswordAsync(user, password).ConfigureAwait(false);
        }
        if (!valid)
        {
            throttle.Failed(userName, From);
            return InvalidCredentials();
        }
        throttle.Succeeded(userName, From);
        return user!;
    }

    /// <summary>Ends every cookie and token of the caller, on every device.</summary>
    public async Task<Result<Done>> SignOutAsync()
    {
        var user = me.IsSignedIn ? await users.FindByIdAsync(me.UserId).ConfigureAwait(false) : null;
        if (user is null)
        {
            return new Done();
        }
        await stamps.RenewAsync(users, user).ConfigureAwait(false);
        return new Done();
    }

    /// <summary>A new password for the caller; every cookie and token of theirs (this one too) ends with it.</summary>
    public async Task<Result<Done>> ChangePasswordAsync(string? currentPassword, string? newPassword)
    {
        if (Validation.Check(ChangePasswordRequestValidator.Instance, new ChangePasswordRequest(currentPassword ?? "", newPassword ?? "")) is { } invalid)
        {
            return invalid;
        }
        var user = me.IsSignedIn ? await users.FindByIdAsync(me.UserId).ConfigureAwait(false) : null;
        if (user is null)
        {
            return Refusal.NotFound();
        }
        var checkedUser = await CheckAsync(user.UserName, currentPassword).ConfigureAwait(false);
        if (checkedUser.Refusal is { Code: "invalid_credentials" })
        {
            return Refusal.Invalid("currentPassword", "当前密码不正确");
        }
        if (checkedUser.Refusal is { } refused)
        {
            return refused;
        }
        var changed = await users.ChangePasswordAsync(user, currentPassword!, newPassword!).ConfigureAwait(false);
        stamps.Forget(user.Id);
        if (!changed.Succeeded)
        {
            var length = users.Options.Password.RequiredLength;
            return Refusal.Invalid("newPassword", $"新密码不合要求：至少 {length} 位，须含大写字母、小写字母、数字和符号");
        }
        return new Done();
    }

    /// <summary>An admin ends every cookie and token of a user of their county; another county's user is not found.</summary>
    public async Task<Result<Done>> SignOutEverywhereAsync(string userId)
    {
        if (!me.May(Permission.ManageUsers))
        {
            return Refusal.NotAllowed();
        }
        var user = await users.FindByIdAsync(userId).ConfigureAwait(false);
        if (user is null || user.CountyCode != me.CountyCode)
        {
            return Refusal.NotFound();
        }
        var renewed = await stamps.RenewAsync(users, user).ConfigureAwait(false);
        return renewed.Succeeded ? new Done() : Refusal.Conflict("not_signed_out", "未能结束该用户的登录，请重试");
    }

    public MeResponse Me() => new(me.UserName, me.Role, me.CountyCode, me.SchoolId?.ToString(), me.StaffId?.ToString());
}
