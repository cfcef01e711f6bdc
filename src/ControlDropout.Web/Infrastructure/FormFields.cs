using System.Globalization;

namespace ControlDropout.Web.Infrastructure;

/// <summary>What pages read from their forms, and where the API's messages go on them.</summary>
public static class FormFields
{
    /// <summary>A date input's value (<c>yyyy-MM-dd</c>, as browsers send it), or null when empty or unreadable.</summary>
    public static DateOnly? Date(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Maps an API field name ("lastDay") to the form's input ("Leave.LastDay").</summary>
    public static Func<string, string> Under(string prefix) =>
        key => key.Length == 0 ? "" : $"{prefix}.{char.ToUpperInvariant(key[0])}{key[1..]}";
}
