using System.Net;
using System.Text;
using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Reports;

/// <summary>
/// A report as HTML: <see cref="Body"/> is what the page shows and prints, <see cref="Document"/> the same body as a
/// standalone document (the <c>format=html</c> answer), styled by <c>/css/report.css</c> — one layout for both.
/// </summary>
public static class ReportHtml
{
    public static string Document(Report report)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>").Append(E(report.Title)).Append("</title>")
            .Append("<link rel=\"stylesheet\" href=\"/css/report.css\"></head><body class=\"report-document\">")
            .Append(Body(report)).Append("</body></html>");
        return html.ToString();
    }

    public static string Body(Report report)
    {
        var html = new StringBuilder();
        html.Append("<article class=\"report\"><h2 class=\"report-title\">").Append(E(report.Title)).Append("</h2><ul class=\"report-heading\">");
        foreach (var line in ReportTables.Heading(report))
        {
            html.Append("<li>").Append(E(line)).Append("</li>");
        }
        html.Append("</ul><div class=\"report-charts\"><figure><figcaption>各乡镇周覆盖率</figcaption>")
            .Append(ReportPictures.CoverageByTownship(report.ByTownship))
            .Append("</figure><figure><figcaption>按教学周：课次与周覆盖率</figcaption>")
            .Append(ReportPictures.Trend(report.Trend)).Append("</figure></div>");
        foreach (var table in ReportTables.Of(report))
        {
            html.Append("<section class=\"report-table\"><h3>").Append(E(table.Caption)).Append("</h3><table><thead><tr>");
            foreach (var header in table.Headers)
            {
                html.Append("<th scope=\"col\">").Append(E(header)).Append("</th>");
            }
            html.Append("</tr></thead><tbody>");
            if (table.Rows.Count == 0)
            {
                html.Append("<tr><td colspan=\"").Append(table.Headers.Count).Append("\">无</td></tr>");
            }
            foreach (var row in table.Rows)
            {
                html.Append("<tr>");
                for (var i = 0; i < row.Length; i++)
                {
                    var text = E(ReportTables.Text(row[i], table.RateColumns.Contains(i)));
                    html.Append(i == 0 ? "<th scope=\"row\">" : "<td class=\"number\">").Append(text).Append(i == 0 ? "</th>" : "</td>");
                }
                html.Append("</tr>");
            }
            html.Append("</tbody></table></section>");
        }
        html.Append("</article>");
        return html.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(Validation.Printable(text));
}
