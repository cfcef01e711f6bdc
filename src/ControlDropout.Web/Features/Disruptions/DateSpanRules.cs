using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Disruptions;

/// <summary>The checks every span of days (a closure, a leave) must pass, with the noun in each message.</summary>
public static class DateSpanRules
{
    public static List<ApiError> Check(DateOnly firstDay, DateOnly lastDay, string? reason, string noun)
    {
        var errors = new List<ApiError>();
        if (string.IsNullOrWhiteSpace(reason))
        {
            errors.Add(new ApiError("reason", $"请填写{noun}原因"));
        }
        if (lastDay < firstDay)
        {
            errors.Add(new ApiError("lastDay", $"{noun}结束日不能早于开始日"));
        }
        return errors;
    }
}
