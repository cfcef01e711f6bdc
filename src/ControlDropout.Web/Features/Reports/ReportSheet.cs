using ControlDropout.Web.Infrastructure;
using MiniExcelLibs;

namespace ControlDropout.Web.Features.Reports;

/// <summary>
/// A report as one worksheet: the title row, the period, unit and date of issue, then each table with its
/// caption and header. Numbers stay numbers (whole numbers as integers, rates as fractions such as 0.93) so
/// that a bureau's spreadsheet can sum them; every text cell is made inert (<see cref="ExportFile.Cell"/>).
/// </summary>
public static class ReportSheet
{
    public static byte[] Build(Report report)
    {
        var tables = ReportTables.Of(report);
        var width = Math.Max(2, tables.Max(t => t.Headers.Count));
        var keys = Enumerable.Range(0, width).Select(Column).ToArray();
        var rows = new List<IDictionary<string, object?>>();
        void Add(params object?[] cells)
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < keys.Length; i++)
            {
                row[keys[i]] = i < cells.Length ? Typed(cells[i]) : null;
            }
            rows.Add(row);
        }
        Add(report.Title);
        foreach (var line in ReportTables.Heading(report))
        {
            Add(line);
        }
        foreach (var table in tables)
        {
            Add();
            Add(table.Caption);
            Add([.. table.Headers]);
            foreach (var row in table.Rows)
            {
                Add(row);
            }
        }
        using var stream = new MemoryStream();
        stream.SaveAs(rows, printHeader: false, sheetName: report.Kind == "monthly" ? "月报" : "学期报告");
        return stream.ToArray();
    }

    /// <summary>Text inert, numbers as they are.</summary>
    private static object? Typed(object? cell) => cell switch
    {
        null => null,
        int or double => cell,
        _ => ExportFile.Cell(cell.ToString()),
    };

    private static string Column(int index) => index < 26 ? ((char)('A' + index)).ToString() : $"{(char)('A' + index / 26 - 1)}{(char)('A' + index % 26)}";
}
