using ControlDropout.Web.Infrastructure;
using FluentValidation;

namespace ControlDropout.Web.Features.Disruptions;

/// <summary>The checks every span of days (a leave, a closure) must pass before anything is read, with the noun in each message.</summary>
public sealed class DateSpanRules<T> : AbstractValidator<T>
{
    public DateSpanRules(Func<T, DateOnly> firstDay, Func<T, DateOnly> lastDay, Func<T, string?> reason, string noun, int maxDays)
    {
        RuleFor(r => firstDay(r)).Sane($"{noun}开始日").OverridePropertyName("firstDay");
        RuleFor(r => lastDay(r)).Sane($"{noun}结束日").OverridePropertyName("lastDay");
        RuleFor(r => reason(r)).RequiredText($"{noun}原因").OverridePropertyName("reason");
        RuleFor(r => r).Must(r => lastDay(r) >= firstDay(r)).WithMessage($"{noun}结束日不能早于开始日").OverridePropertyName("lastDay");
        RuleFor(r => r).Must(r => lastDay(r) < firstDay(r) || lastDay(r).DayNumber - firstDay(r).DayNumber < maxDays)
            .WithMessage($"一次{noun}不超过 {maxDays} 天").OverridePropertyName("lastDay");
    }
}
