using System.Globalization;

namespace ControlDropout.Scheduling.Scenarios;

/// <summary>The scenario's wall-clock format, <c>HH:mm</c>, exactly five characters.</summary>
public static class TimeFormat
{
    /// <summary>Parses <c>HH:mm</c> (00:00–23:59); anything else fails.</summary>
    public static bool TryParse(string text, out TimeOnly time)
    {
        time = default;
        return text.Length == 5
            && TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }

    /// <summary>Formats as <c>HH:mm</c>.</summary>
    public static string Format(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Lower-case mode word used in files.</summary>
    public static string Format(SessionMode mode) => mode == SessionMode.Home ? "home" : "remote";
}
