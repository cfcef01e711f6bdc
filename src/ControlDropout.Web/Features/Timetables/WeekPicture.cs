using System.Globalization;
using System.Net;
using System.Text;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Visits;
using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Timetables;

/// <summary>
/// A staff member's week as an SVG grid drawn on the server (days across, hours down; visits as
/// blocks, the road before each as a hatched band), so that it shows without scripts. Given what each
/// session came to (<see cref="StaffWeeks.Week.StatusOf"/>), a delivered visit is green, a missed one red,
/// and the block's title says so in words. Days of leave are shaded and labelled 请假.
/// </summary>
[SharedRule]
public static class WeekPicture
{
    private const int FirstHour = 7;
    private const int LastHour = 20;
    private const int HourHeight = 44;
    private const int DayWidth = 150;
    private const int Left = 48;
    private const int Top = 34;
    private const string Visit = "#0a4fb5";
    private const string Delivered = "#1a7f37";
    private const string Missed = "#b42318";
    private const string Road = "#8a5a00";
    private const string LeaveShade = "#e6e6e6";

    public static string Render(string staffName, DateOnly monday, IReadOnlyList<DayRoute> routes, Func<TimetableSession, SessionStatus>? statusOf = null, IReadOnlySet<DateOnly>? leave = null)
    {
        leave ??= new HashSet<DateOnly>();
        var days = routes.Any(r => r.Date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) ? 7 : 5;
        var width = Left + days * DayWidth + 8;
        var height = Top + (LastHour - FirstHour) * HourHeight + 8;
        var travel = routes.Sum(r => r.TravelMinutes);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{E(staffName)}本周课表：{routes.Sum(r => r.Stops.Count)} 次课，路上共 {travel} 分钟\" font-size=\"12\" font-family=\"sans-serif\">");
        svg.Append("<defs><pattern id=\"road\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fff4d6\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"").Append(Road).Append("\" stroke-width=\"2\"/></pattern></defs>");
        for (var h = FirstHour; h <= LastHour; h++)
        {
            var y = Y(new TimeOnly(h, 0));
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{y}\" x2=\"{width - 8}\" y2=\"{y}\" stroke=\"#c7c7c7\"/><text x=\"{Left - 6}\" y=\"{y + 4}\" text-anchor=\"end\" fill=\"#1b1b1b\">{h:00}:00</text>");
        }
        for (var d = 0; d < days; d++)
        {
            var date = monday.AddDays(d);
            var x = Left + d * DayWidth;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x}\" y1=\"{Top}\" x2=\"{x}\" y2=\"{height - 8}\" stroke=\"#c7c7c7\"/>");
            if (leave.Contains(date))
            {
                svg.Append(CultureInfo.InvariantCulture, $"<g data-leave=\"{date:yyyy-MM-dd}\"><title>{Zh.Weekday(date.DayOfWeek)} {date.Month}/{date.Day} 请假</title><rect x=\"{x + 1}\" y=\"{Top}\" width=\"{DayWidth - 2}\" height=\"{height - 8 - Top}\" fill=\"{LeaveShade}\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + DayWidth / 2}\" y=\"{Top + 20}\" text-anchor=\"middle\" fill=\"#1b1b1b\" font-weight=\"bold\">请假</text></g>");
            }
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + DayWidth / 2}\" y=\"20\" text-anchor=\"middle\" fill=\"#1b1b1b\" font-weight=\"bold\">{Zh.Weekday(date.DayOfWeek)} {date.Month}/{date.Day}{(leave.Contains(date) ? " 请假" : "")}</text>");
            if (routes.FirstOrDefault(r => r.Date == date) is not { } route)
            {
                continue;
            }
            foreach (var stop in route.Stops)
            {
                Band(svg, x, stop.Depart, stop.Session.Start, "url(#road)", Road, $"路上 {stop.TravelMinutes} 分钟");
                var top = Y(stop.Session.Start);
                var bottom = Y(stop.Session.End);
                var status = statusOf?.Invoke(stop.Session);
                var state = status is { } shown ? " " + SessionWords.Of(stop.Session, shown) : "";
                var marked = status is { } known ? $" data-status=\"{known}\"" : "";
                var fill = status switch { SessionStatus.Delivered => Delivered, SessionStatus.Missed => Missed, _ => Visit };
                svg.Append(CultureInfo.InvariantCulture, $"<g{marked}><title>{E(stop.ChildName)} {Zh.Time(stop.Session.Start)}–{Zh.Time(stop.Session.End)} {E(stop.PlaceName)}{E(state)}</title>");
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x + 4}\" y=\"{top}\" width=\"{DayWidth - 8}\" height=\"{bottom - top}\" rx=\"4\" fill=\"{fill}\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 10}\" y=\"{top + 16}\" fill=\"#ffffff\">{Zh.Time(stop.Session.Start)} {E(stop.ChildName)}</text>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 10}\" y=\"{top + 32}\" fill=\"#ffffff\">{E(Shorten(stop.PlaceName))}</text></g>");
            }
            var last = route.Stops[^1].Session.End;
            Band(svg, x, last, route.Back, "url(#road)", Road, $"返回 {route.ReturnMinutes} 分钟");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void Band(StringBuilder svg, int x, TimeOnly from, TimeOnly to, string fill, string stroke, string title)
    {
        if (to <= from)
        {
            return;
        }
        var top = Y(from);
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x + 20}\" y=\"{top}\" width=\"{DayWidth - 40}\" height=\"{Math.Max(2, Y(to) - top)}\" fill=\"{fill}\" stroke=\"{stroke}\"><title>{E(title)}</title></rect>");
    }

    private static int Y(TimeOnly time) => Top + (int)Math.Round(Math.Clamp((time.ToTimeSpan().TotalHours - FirstHour), 0, LastHour - FirstHour) * HourHeight);

    private static string Shorten(string text) => text.Length > 9 ? text[..9] + "…" : text;

    /// <summary>Text for the SVG: control characters out (XML 1.0 has no place for them, not even escaped), then encoded.</summary>
    private static string E(string text) => WebUtility.HtmlEncode(Validation.Printable(text));
}
