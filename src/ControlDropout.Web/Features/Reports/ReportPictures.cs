using System.Globalization;
using System.Net;
using System.Text;
using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Reports;

/// <summary>
/// A report's charts as SVG drawn on the server (presentation attributes only: the page's CSP allows no inline
/// style): coverage rate by township as bars, and the trend by teaching week (delivered and missed sessions as
/// stacked bars, the coverage rate as a line). Every value is also written as text, so colour is never the only cue.
/// </summary>
public static class ReportPictures
{
    private const int RowHeight = 26;
    private const int LabelWidth = 120;
    private const int BarWidth = 360;

    public static string CoverageByTownship(IReadOnlyList<ReportRow> rows)
    {
        var height = Math.Max(1, rows.Count) * RowHeight + 30;
        var width = LabelWidth + BarWidth + 110;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"各乡镇周覆盖率：{E(string.Join("，", rows.Select(r => $"{r.Name} {Percent(r.CoverageRate)}")))}\" font-size=\"13\" font-family=\"sans-serif\">");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{LabelWidth}\" y1=\"0\" x2=\"{LabelWidth}\" y2=\"{height - 20}\" stroke=\"#595959\"/>");
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var y = 5 + i * RowHeight;
            var w = (int)Math.Round((row.CoverageRate ?? 0) * BarWidth);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth - 8}\" y=\"{y + 17}\" text-anchor=\"end\" fill=\"#1b1b1b\">{E(row.Name)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{y + 3}\" width=\"{Math.Max(1, w)}\" height=\"{RowHeight - 8}\" fill=\"{(row.CoverageRate is >= 0.9 ? "#1b6e2a" : "#b3261e")}\"><title>{E(row.Name)}：{Percent(row.CoverageRate)}（{row.WeeksMet}/{row.WeeksRequired}）</title></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + w + 6}\" y=\"{y + 17}\" fill=\"#1b1b1b\">{Percent(row.CoverageRate)}（{row.WeeksMet}/{row.WeeksRequired}）</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth}\" y=\"{height - 6}\" fill=\"#595959\">0%</text><text x=\"{LabelWidth + BarWidth}\" y=\"{height - 6}\" text-anchor=\"end\" fill=\"#595959\">100%</text>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    public static string Trend(IReadOnlyList<WeekPoint> weeks)
    {
        const int column = 34;
        const int plot = 180;
        const int top = 20;
        var width = 50 + Math.Max(1, weeks.Count) * column + 20;
        var height = top + plot + 50;
        var most = Math.Max(1, weeks.Count == 0 ? 1 : weeks.Max(w => w.Planned));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"按教学周：{E(string.Join("，", weeks.Select(w => $"{Zh.Week(w.Week)} 计划 {w.Planned} 已送 {w.Delivered} 缺送 {w.Missed} 覆盖率 {Percent(w.CoverageRate)}")))}\" font-size=\"11\" font-family=\"sans-serif\">");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"50\" y1=\"{top + plot}\" x2=\"{width - 10}\" y2=\"{top + plot}\" stroke=\"#595959\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"44\" y=\"{top + 4}\" text-anchor=\"end\" fill=\"#595959\">{most}</text><text x=\"44\" y=\"{top + plot}\" text-anchor=\"end\" fill=\"#595959\">0</text>");
        var line = new List<string>();
        for (var i = 0; i < weeks.Count; i++)
        {
            var w = weeks[i];
            var x = 50 + i * column + 4;
            var delivered = (int)Math.Round((double)w.Delivered / most * plot);
            var missed = (int)Math.Round((double)w.Missed / most * plot);
            var planned = (int)Math.Round((double)w.Planned / most * plot);
            svg.Append(CultureInfo.InvariantCulture, $"<g><title>{E(Zh.Week(w.Week))}：计划 {w.Planned}，已送 {w.Delivered}，缺送 {w.Missed}，覆盖率 {Percent(w.CoverageRate)}</title>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{top + plot - planned}\" width=\"{column - 8}\" height=\"{Math.Max(0, planned)}\" fill=\"none\" stroke=\"#0b3561\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{top + plot - delivered}\" width=\"{column - 8}\" height=\"{delivered}\" fill=\"#1b6e2a\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{top + plot - delivered - missed}\" width=\"{column - 8}\" height=\"{missed}\" fill=\"#b3261e\"/></g>");
            var number = w.Week.Length == 8 ? w.Week[6..] : w.Week;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + (column - 8) / 2}\" y=\"{top + plot + 14}\" text-anchor=\"middle\" fill=\"#1b1b1b\">{E(number)}</text>");
            if (w.CoverageRate is { } rate)
            {
                line.Add(string.Create(CultureInfo.InvariantCulture, $"{x + (column - 8) / 2},{top + plot - (int)Math.Round(rate * plot)}"));
            }
        }
        if (line.Count > 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{string.Join(' ', line)}\" fill=\"none\" stroke=\"#8a5a00\" stroke-width=\"2\"/>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"50\" y=\"{height - 8}\" fill=\"#1b1b1b\">周次；绿 已送，红 缺送，空框 计划，棕线 周覆盖率（满高 = 100%）</text>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Percent(double? rate) => rate is { } r ? r.ToString("0.0%", CultureInfo.InvariantCulture) : "—";

    /// <summary>Text for the SVG: control characters out (XML 1.0 has no place for them, not even escaped), then encoded.</summary>
    private static string E(string text) => WebUtility.HtmlEncode(Validation.Printable(text));
}
