using ControlDropout.Web.Infrastructure;
using System.Globalization;
using System.Text.Json;

namespace ControlDropout.Web.Features.Calendar;

/// <summary>What the State Council's notice says of one date.</summary>
public enum HolidayKind
{
    /// <summary>Nothing: an ordinary day.</summary>
    None,
    /// <summary>法定节假日 (isOffDay true).</summary>
    OffDay,
    /// <summary>调休上班: a weekend day worked to make up for a holiday (isOffDay false).</summary>
    MakeUpWorkday,
    /// <summary>The year's notice is not published (or not shipped): we do not know, and do not guess.</summary>
    Unpublished,
}

/// <summary>
/// National holidays and 调休 workdays from the holiday-cn files shipped in <c>data/holidays</c>
/// (NateScarlet/holiday-cn, MIT). A file is keyed by the year of the notice; December dates may sit
/// in the next year's file, so December counts as published only when that file is here too.
/// </summary>
[SharedRule]
public sealed class HolidayCalendar
{
    private readonly Dictionary<DateOnly, (string Name, bool OffDay)> _days = [];
    private readonly HashSet<int> _years = [];

    public HolidayCalendar(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }
        foreach (var file in Directory.EnumerateFiles(folder, "holiday-cn-*.json").Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            _years.Add(doc.RootElement.GetProperty("year").GetInt32());
            foreach (var day in doc.RootElement.GetProperty("days").EnumerateArray())
            {
                var date = DateOnly.ParseExact(day.GetProperty("date").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                _days[date] = (day.GetProperty("name").GetString()!, day.GetProperty("isOffDay").GetBoolean());
            }
        }
    }

    /// <summary>The shipped copy next to the program.</summary>
    public static HolidayCalendar Shipped() => new(Path.Combine(AppContext.BaseDirectory, "data", "holidays"));

    public IReadOnlyCollection<int> PublishedYears => _years;

    public bool IsPublished(DateOnly date) => _years.Contains(date.Year) && (date.Month < 12 || _years.Contains(date.Year + 1));

    public (HolidayKind Kind, string? Name) Lookup(DateOnly date)
    {
        if (_days.TryGetValue(date, out var day))
        {
            return (day.OffDay ? HolidayKind.OffDay : HolidayKind.MakeUpWorkday, day.Name);
        }
        return IsPublished(date) ? (HolidayKind.None, null) : (HolidayKind.Unpublished, null);
    }
}
