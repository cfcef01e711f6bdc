namespace ControlDropout.Web.Features.Calendar;

/// <summary>The checks every span of days (a closure, a leave) must pass, with the noun in each message.</summary>
public static class DateSpanRules
{
    public static Dictionary<string, string[]> Check(DateOnly firstDay, DateOnly lastDay, string? reason, string noun)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(reason))
        {
            errors["reason"] = [$"请填写{noun}原因"];
        }
        if (lastDay < firstDay)
        {
            errors["lastDay"] = [$"{noun}结束日不能早于开始日"];
        }
        return errors;
    }
}
