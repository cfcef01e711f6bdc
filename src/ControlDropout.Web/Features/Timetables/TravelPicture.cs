using System.Globalization;
using System.Net;
using System.Text;
using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Timetables;

/// <summary>Travel minutes per staff member in a week, as horizontal bars drawn on the server.</summary>
public static class TravelPicture
{
    private const int RowHeight = 26;
    private const int LabelWidth = 110;
    private const int BarWidth = 420;

    /// <param name="links">Where each row's name leads (the staff member's page), or null for plain names.</param>
    public static string Render(IReadOnlyList<(string Name, int Minutes)> rows, IReadOnlyList<string?>? links = null)
    {
        var max = Math.Max(1, rows.Count == 0 ? 1 : rows.Max(r => r.Minutes));
        var height = rows.Count * RowHeight + 10;
        var width = LabelWidth + BarWidth + 90;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"{(links is null ? "img" : "group")}\" aria-label=\"每人本周路上时间：{E(string.Join("，", rows.Select(r => $"{r.Name} {r.Minutes} 分钟")))}\" font-size=\"13\" font-family=\"sans-serif\">");
        for (var i = 0; i < rows.Count; i++)
        {
            var (name, minutes) = rows[i];
            var y = 5 + i * RowHeight;
            var w = (int)Math.Round((double)minutes / max * BarWidth);
            var label = string.Create(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth - 8}\" y=\"{y + 17}\" text-anchor=\"end\" fill=\"#1b1b1b\">{E(name)}</text>");
            // A name is a link to the staff member's week (SVG 2 <a href>), underlined and in the link colour as the page says.
            svg.Append(links is not null && i < links.Count && links[i] is { } href
                ? $"<a href=\"{E(href)}\" text-decoration=\"underline\">{label.Replace("fill=\"#1b1b1b\"", "fill=\"#0a4fb5\" text-decoration=\"underline\"", StringComparison.Ordinal)}</a>"
                : label);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{y + 3}\" width=\"{Math.Max(1, w)}\" height=\"{RowHeight - 8}\" fill=\"#8a5a00\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + w + 6}\" y=\"{y + 17}\" fill=\"#1b1b1b\">{minutes} 分钟</text>");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Text for the SVG: control characters out (XML 1.0 has no place for them, not even escaped), then encoded.</summary>
    private static string E(string text) => WebUtility.HtmlEncode(Validation.Printable(text));
}
