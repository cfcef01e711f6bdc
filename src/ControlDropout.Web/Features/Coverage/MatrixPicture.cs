using System.Globalization;
using System.Net;
using System.Text;
using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Coverage;

/// <summary>
/// The coverage matrix as an SVG drawn on the server: a row per child, a column per teaching week,
/// each cell coloured by status and marked with a sign (so that colour is never the only cue);
/// exempt weeks grey, weeks outside the child's plan white. Each row is labelled with the child's masked name,
/// township and school (five rows may read 刘某某) and links to the child's page.
/// </summary>
public static class MatrixPicture
{
    private const int Cell = 22;
    private const int MinLabelWidth = 120;
    private const int FontSize = 12;
    private const int HeaderHeight = 46;

    public static (string Fill, string Ink, string Sign) Look(CoverageStatus status) => status switch
    {
        CoverageStatus.Met => ("#1b6e2a", "#ffffff", "✓"),
        CoverageStatus.AtRisk => ("#fff4d6", "#5c3d00", "…"),
        CoverageStatus.Missed => ("#b3261e", "#ffffff", "✗"),
        CoverageStatus.Unscheduled => ("#f4b860", "#3d2200", "!"),
        CoverageStatus.Upcoming => ("#dbe8f7", "#0b3561", "○"),
        CoverageStatus.NotInPlan => ("#ffffff", "#595959", "·"),
        _ => ("#d9d9d9", "#1b1b1b", "–"),
    };

    /// <summary>A row's label: 刘某某 · 博尚镇 · 博尚镇中心小学.</summary>
    public static string Label(string name, string township, string school) =>
        string.Join(" · ", new[] { name, township, school }.Where(p => !string.IsNullOrWhiteSpace(p)));

    public static string Render(IReadOnlyList<string> weeks, IReadOnlyList<(Guid Id, string Name, IReadOnlyList<CoverageStatus> Statuses)> rows)
    {
        // Wide enough for the longest label (a CJK character is about one em wide).
        var labelWidth = Math.Max(MinLabelWidth, rows.Count == 0 ? 0 : rows.Max(r => r.Name.Length) * FontSize + 12);
        var width = labelWidth + weeks.Count * Cell + 10;
        var height = HeaderHeight + rows.Count * Cell + 10;
        var missed = rows.Sum(r => r.Statuses.Count(s => s == CoverageStatus.Missed));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"group\" aria-label=\"周覆盖矩阵：{rows.Count} 名学生 × {weeks.Count} 个教学周，缺课 {missed} 人次\" font-size=\"12\" font-family=\"sans-serif\">");
        for (var w = 0; w < weeks.Count; w++)
        {
            var x = labelWidth + w * Cell + Cell / 2;
            var number = weeks[w].Length == 8 ? weeks[w][6..] : weeks[w];
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{HeaderHeight - 8}\" text-anchor=\"middle\" fill=\"#1b1b1b\">{number}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth}\" y=\"16\" fill=\"#1b1b1b\">周次 →</text>");
        for (var r = 0; r < rows.Count; r++)
        {
            var (id, name, statuses) = rows[r];
            var y = HeaderHeight + r * Cell;
            svg.Append(CultureInfo.InvariantCulture, $"<a href=\"/children/{id}\" data-row=\"{id}\"><text x=\"{labelWidth - 6}\" y=\"{y + 15}\" text-anchor=\"end\" fill=\"#0b3561\" text-decoration=\"underline\">{E(name)}</text></a>");
            for (var w = 0; w < statuses.Count && w < weeks.Count; w++)
            {
                var (fill, ink, sign) = Look(statuses[w]);
                var x = labelWidth + w * Cell;
                svg.Append(CultureInfo.InvariantCulture, $"<g data-student=\"{id}\" data-week=\"{weeks[w]}\" data-status=\"{statuses[w]}\"><title>{E(name)} {E(Zh.Week(weeks[w]))}：{Zh.Of(statuses[w])}</title>");
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x + 1}\" y=\"{y + 1}\" width=\"{Cell - 2}\" height=\"{Cell - 2}\" fill=\"{fill}\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + Cell / 2}\" y=\"{y + 15}\" text-anchor=\"middle\" fill=\"{ink}\">{sign}</text></g>");
            }
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Text for the SVG: control characters out (XML 1.0 has no place for them, not even escaped), then encoded.</summary>
    private static string E(string text) => WebUtility.HtmlEncode(Validation.Printable(text));
}
