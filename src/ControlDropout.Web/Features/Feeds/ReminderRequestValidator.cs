using FluentValidation;

namespace ControlDropout.Web.Features.Feeds;

/// <summary>A reminder a calendar app can keep: none, or 5 minutes to a day before.</summary>
public sealed class ReminderRequestValidator : AbstractValidator<ReminderRequest>
{
    public static readonly ReminderRequestValidator Instance = new();

    public ReminderRequestValidator() =>
        RuleFor(r => r.Minutes).Must(m => m is null or (>= 5 and <= 24 * 60)).WithMessage("提醒时间须在 5 到 1440 分钟之间，或留空不提醒");
}
