using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Reports;

/// <summary>
/// A report as a workbook a bureau prints: one sheet per table, each with the report's title row, the period,
/// unit and date of issue, the table's caption, a frozen header, fitted widths and A4 landscape print setup
/// (<see cref="Xlsx"/>, as the ledger). Numbers stay numbers (whole numbers as integers, rates as fractions
/// such as 0.93) so that a bureau's spreadsheet can sum them; every text cell is made inert by the writer.
/// </summary>
public static class ReportSheet
{
    public static byte[] Build(Report report)
    {
        var heading = ReportTables.Heading(report);
        return Xlsx.Write([.. ReportTables.Of(report).Select(table => new XlsxSheet(SheetName(table.Caption),
            [.. table.Headers.Select(h => new XlsxColumn(h))], [.. table.Rows.Select(row => (IReadOnlyList<object?>)row)])
        {
            Title = report.Title,
            Subtitles = [.. heading, table.Caption],
        })]);
    }

    /// <summary>The caption without its ordinal ("二、按乡镇" → "按乡镇"): a sheet's tab, short and free of the characters Excel forbids.</summary>
    private static string SheetName(string caption)
    {
        var name = caption[(caption.IndexOf('、', StringComparison.Ordinal) + 1)..];
        return name.Length > 31 ? name[..31] : name;
    }
}
