using ControlDropout.Web.Infrastructure;
using FluentValidation;

namespace ControlDropout.Web.Features.Auth;

/// <summary>Lengths no real account reaches: a longer name or password is refused before any hashing work is spent on it.</summary>
public static class Credentials
{
    /// <summary>The longest user name the identity store keeps.</summary>
    public const int UserNameLength = 256;

    public const int PasswordLength = 128;
}

/// <summary>
/// A sign-in attempt: what could never be a user name or a password (too long, control characters)
/// is a 400, told apart by nothing of the accounts; anything else is for the password check to answer.
/// </summary>
public sealed class LoginRequestValidator : AbstractValidator<LoginRequest>
{
    public static readonly LoginRequestValidator Instance = new();

    public LoginRequestValidator()
    {
        RuleFor(r => r.UserName).ShortText("用户名", Credentials.UserNameLength);
        RuleFor(r => r.Password).ShortText("密码", Credentials.PasswordLength);
    }
}

/// <summary>A password change: the new one required, both of a length and characters a password may have.</summary>
public sealed class ChangePasswordRequestValidator : AbstractValidator<ChangePasswordRequest>
{
    public static readonly ChangePasswordRequestValidator Instance = new();

    public ChangePasswordRequestValidator()
    {
        RuleFor(r => r.CurrentPassword).ShortText("当前密码", Credentials.PasswordLength);
        RuleFor(r => r.NewPassword)
            .Must(p => !string.IsNullOrEmpty(p)).WithMessage("请填写新密码")
            .ShortText("新密码", Credentials.PasswordLength);
    }
}
