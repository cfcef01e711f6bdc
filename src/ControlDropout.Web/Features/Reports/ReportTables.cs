using System.Globalization;
using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Reports;

/// <summary>One table of a report: cells are text, whole numbers or fractions (a rate); null is an empty cell.</summary>
public sealed record ReportTable(string Caption, IReadOnlyList<string> Headers, IReadOnlyList<object?[]> Rows, IReadOnlySet<int> RateColumns);

/// <summary>
/// The tables of a report, in the order a bureau reads them, stated once for the page, the printable document
/// and the spreadsheet, so that the three never disagree.
/// </summary>
public static class ReportTables
{
    private static readonly string[] GroupHeaders =
        ["送教学生数", "计划课次", "已送课次", "缺送课次", "待送课次", "课时", "应达标周数", "已达标周数", "周覆盖率", "有标记记录", "送教人时（小时）"];

    private static readonly HashSet<int> GroupRate = [9];

    public static IReadOnlyList<ReportTable> Of(Report report)
    {
        var tables = new List<ReportTable>();
        List<object?[]> totals = [Group(report.Kind == "monthly" ? "本月" : "本学期", report.County)];
        if (report.PreviousMonth is { } previous)
        {
            totals.Add(Group("上月", previous));
        }
        tables.Add(new ReportTable("一、合计", ["期间", .. GroupHeaders], totals, GroupRate));
        tables.Add(new ReportTable("二、按乡镇", ["乡镇", .. GroupHeaders], [.. report.ByTownship.Select(r => Group(r.Name, r))], GroupRate));
        tables.Add(new ReportTable("三、按学校", ["学校", .. GroupHeaders], [.. report.BySchool.Select(r => Group(r.Name, r))], GroupRate));
        tables.Add(new ReportTable("四、按残疾类别", ["残疾类别", .. GroupHeaders], [.. report.ByCategory.Select(r => Group(r.Name, r))], GroupRate));
        tables.Add(new ReportTable("五、有标记的送教记录", ["标记", "记录数"],
            [.. report.Flags.Select(f => new object?[] { f.Name, f.Records }), ["有任一标记的记录", report.FlaggedRecords]], new HashSet<int>()));
        tables.Add(new ReportTable("六、送教人员工时与路程", ["姓名", "已送课次", "送教小时", "排课路程（分钟）"],
            [.. report.Staff.Select(s => new object?[] { s.Name, s.Delivered, s.Hours, s.TravelMinutes }), ["合计", report.Staff.Sum(s => s.Delivered), Math.Round(report.Staff.Sum(s => s.Hours), 1), report.TravelMinutes]],
            new HashSet<int>()));
        tables.Add(new ReportTable("七、按教学周", ["教学周", "计划课次", "已送课次", "缺送课次", "应达标周数", "已达标周数", "周覆盖率"],
            [.. report.Trend.Select(w => new object?[] { Zh.Week(w.Week), w.Planned, w.Delivered, w.Missed, w.WeeksRequired, w.WeeksMet, w.CoverageRate })], new HashSet<int> { 6 }));
        return tables;
    }

    private static object?[] Group(string name, ReportRow r) =>
        [name, r.Children, r.Planned, r.Delivered, r.Missed, r.Upcoming, r.Lessons, r.WeeksRequired, r.WeeksMet, r.CoverageRate, r.Flagged, r.StaffHours];

    /// <summary>The header lines above the tables: period, unit, date of issue (and the note, when there is one).</summary>
    public static IReadOnlyList<string> Heading(Report report)
    {
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"统计期间：{report.FirstDay:yyyy-MM-dd} 至 {report.LastDay:yyyy-MM-dd}"),
            $"填报单位：{report.Unit}",
            string.Create(CultureInfo.InvariantCulture, $"填报日期：{report.IssuedOn:yyyy-MM-dd}"),
        };
        if (report.Note is { } note)
        {
            lines.Add($"说明：{note}");
        }
        lines.Add("周覆盖率 = 已达标周数 ÷ 应达标周数（期间内已结束的教学周，方案生效且有教学日的周）；课时按送教记录时长折算（与台账同一规则）；送教人时为每次已送课次的时长乘以在场送教人数。");
        return lines;
    }

    /// <summary>A cell as the page and the printable document show it: a rate as a percentage, an empty rate as 一.</summary>
    public static string Text(object? cell, bool rate) => cell switch
    {
        null => rate ? "—" : "",
        double d when rate => d.ToString("0.0%", CultureInfo.InvariantCulture),
        double d => d.ToString("0.#", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        _ => cell.ToString() ?? "",
    };
}
