using System.Globalization;
using System.Net;
using System.Text;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using MiniExcelLibs;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.TeachingFile;

/// <summary>
/// 送教档案 of one child for a term: the plan as approved (version, approver, date), the child's
/// timetable, and every visit record with its flags — as xlsx (three sheets) or a printable page.
/// Exports are audited; numbers and phones do not appear in it at all.
/// </summary>
public sealed class TeachingFiles(AppDbContext db, CurrentUser me)
{
    private sealed record FileData(Student Child, Term Term, PlanVersion? Plan, List<TimetableSession> Sessions, List<VisitRecord> Visits, Dictionary<Guid, string> Staff);

    public async Task<Result<ExportFile>> ExportAsync(StudentId id, Guid? termId, string? format, CancellationToken ct)
    {
        if (!me.May(Permission.ExportRecords))
        {
            return Refusal.NotAllowed();
        }
        if (format is not (null or "xlsx" or "html"))
        {
            return Refusal.Invalid("format", "格式须为 xlsx 或 html");
        }
        var child = await db.Students.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && s.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
        var plans = await db.Plans.AsNoTracking().Include(p => p.Versions).Where(p => p.StudentId == id && p.CountyCode == me.CountyCode).ToListAsync(ct).ConfigureAwait(false);
        var plan = termId is { } t ? plans.SingleOrDefault(p => p.TermId == new TermId(t)) : plans.OrderByDescending(p => p.Id.Value).FirstOrDefault();
        if (child is null || plan is null)
        {
            return Refusal.NotFound();
        }
        var term = await db.Terms.AsNoTracking().SingleAsync(x => x.Id == plan.TermId, ct).ConfigureAwait(false);
        // The version in force, or else the last one that was approved before the plan closed.
        var version = plan.Versions.Where(v => v.Status is PlanStatus.Approved or PlanStatus.Active).OrderByDescending(v => v.Number).FirstOrDefault()
            ?? plan.Versions.Where(v => v.Status == PlanStatus.Closed && v.DecidedAt is not null).OrderByDescending(v => v.Number).FirstOrDefault();
        var published = db.Timetables.Where(x => x.CountyCode == me.CountyCode && x.TermId == term.Id && x.Status == Domain.TimetableStatus.Published).Select(x => x.Id);
        var sessions = await db.Sessions.AsNoTracking().Where(s => published.Contains(s.TimetableId) && s.StudentId == child.Id).OrderBy(s => s.Date).ThenBy(s => s.Start).ToListAsync(ct).ConfigureAwait(false);
        var visits = await db.Visits.AsNoTracking().Where(v => v.CountyCode == me.CountyCode && v.StudentId == child.Id && v.Date >= term.FirstDay && v.Date <= term.LastDay).OrderBy(v => v.Date).ThenBy(v => v.Version).ToListAsync(ct).ConfigureAwait(false);
        var staff = await db.Staff.AsNoTracking().Where(s => s.CountyCode == me.CountyCode).ToDictionaryAsync(s => s.Id.Value, s => s.Name, ct).ConfigureAwait(false);
        var data = new FileData(child, term, version, sessions, visits, staff);
        var name = $"送教档案-{ExportFile.FileNamePart(child.Name)}-{ExportFile.FileNamePart(term.Name)}";
        var file = format == "html"
            ? new ExportFile(Encoding.UTF8.GetBytes(Html(data)), "text/html; charset=utf-8", "")
            : new ExportFile(await XlsxAsync(data, ct).ConfigureAwait(false), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{name}.xlsx");
        // The file is made first: an export that fails leaves no audit row claiming it happened.
        await db.RecordReadAsync("export", "TeachingFile", child.Id.ToString(), $"term: {term.Id}; format: {format ?? "xlsx"}", ct).ConfigureAwait(false);
        return file;
    }

    private static string Names(IEnumerable<Guid> ids, Dictionary<Guid, string> staff) => string.Join("、", ids.Select(i => staff.GetValueOrDefault(i, "?")));

    private static IEnumerable<(string Key, string Value)> PlanRows(FileData d) =>
    [
        ("学生", d.Child.Name), ("学期", d.Term.Name),
        ("方案版本", d.Plan is null ? "无已审批方案" : $"第{d.Plan.Number}版"),
        ("审批人", d.Plan?.DecidedBy ?? ""), ("审批日期", d.Plan?.DecidedAt is { } decided ? ExportFile.ChinaDay(decided) : ""),
        ("审批意见", d.Plan?.Opinion ?? ""), ("课程计划", d.Plan?.CoursePlan ?? ""), ("授课内容", d.Plan?.Content ?? ""),
        ("IEP 目标", string.Join("；", d.Plan?.Goals ?? [])), ("每周送教", $"上门 {d.Plan?.HomeVisitsPerWeek ?? 0} 次，远程 {d.Plan?.RemoteSessionsPerWeek ?? 0} 次，每次 {d.Plan?.LessonsPerVisit ?? 0} 课时"),
    ];

    private static async Task<byte[]> XlsxAsync(FileData d, CancellationToken ct)
    {
        var sheets = new Dictionary<string, object>
        {
            ["方案"] = PlanRows(d).Select(r => new Dictionary<string, object> { ["项目"] = r.Key, ["内容"] = ExportFile.Cell(r.Value) }).ToList(),
            ["课表"] = d.Sessions.Select(s => new Dictionary<string, object>
            {
                ["周次"] = s.Week, ["日期"] = s.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["时间"] = $"{s.Start:HH\\:mm}–{s.End:HH\\:mm}",
                ["方式"] = s.Mode == SessionModes.Home ? "送教上门" : "远程送教", ["送教人员"] = ExportFile.Cell(Names(s.StaffIds, d.Staff)),
                ["状态"] = s.Status == SessionStatus.Cancelled ? "已取消" : "已安排", ["调整原因"] = ExportFile.Cell(s.MovedBecause ?? ""),
            }).ToList(),
            ["送教记录"] = d.Visits.Select(v => new Dictionary<string, object>
            {
                ["日期"] = v.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["时间"] = $"{v.Start:HH\\:mm}–{v.End:HH\\:mm}", ["版本"] = v.Version,
                ["到场人员"] = ExportFile.Cell(Names(v.StaffPresent, d.Staff)), ["授课内容"] = ExportFile.Cell(v.Content), ["IEP 目标"] = ExportFile.Cell(string.Join("；", v.GoalsAddressed)),
                ["学生反应"] = ExportFile.Cell(v.ChildResponse), ["家长反馈"] = ExportFile.Cell(v.GuardianFeedback), ["家长签名"] = ExportFile.Cell(v.GuardianName),
                ["未送原因"] = ExportFile.Cell(v.Missed ? v.MissedReason ?? "" : ""), ["更正原因"] = ExportFile.Cell(v.CorrectionReason ?? ""),
                ["改期原因"] = ExportFile.Cell(v.RescheduleReason ?? ""),
                ["记录人"] = ExportFile.Cell(v.RecordedBy), ["记录时间"] = ExportFile.ChinaMinute(v.RecordedAt),
            }).ToList(),
        };
        using var stream = new MemoryStream();
        await stream.SaveAsAsync(sheets, cancellationToken: ct).ConfigureAwait(false);
        return stream.ToArray();
    }

    /// <summary>A plain page for printing and signing, every value HTML-encoded.</summary>
    private static string Html(FileData d)
    {
        static string E(string s) => WebUtility.HtmlEncode(Validation.Printable(s));
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>送教档案</title>")
            // A stylesheet of our own, not an inline one: the Content-Security-Policy allows nothing inline.
            .Append("<link rel=\"stylesheet\" href=\"/css/teaching-file.css\"></head><body>")
            .Append(CultureInfo.InvariantCulture, $"<h1>送教档案：{E(d.Child.Name)}（{E(d.Term.Name)}）</h1><h2>方案</h2><table>");
        foreach (var (key, value) in PlanRows(d))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{E(key)}</th><td>{E(value)}</td></tr>");
        }
        html.Append("</table><h2>课表</h2><table><tr><th>日期</th><th>时间</th><th>方式</th><th>送教人员</th><th>状态</th></tr>");
        foreach (var s in d.Sessions)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{s.Date:yyyy-MM-dd}</td><td>{s.Start:HH\\:mm}–{s.End:HH\\:mm}</td><td>{(s.Mode == SessionModes.Home ? "送教上门" : "远程送教")}</td><td>{E(Names(s.StaffIds, d.Staff))}</td><td>{(s.Status == SessionStatus.Cancelled ? "已取消" : "已安排")}</td></tr>");
        }
        html.Append("</table><h2>送教记录</h2><table><tr><th>日期</th><th>时间</th><th>版本</th><th>到场人员</th><th>授课内容</th><th>家长签名</th><th>记录时间</th></tr>");
        foreach (var v in d.Visits)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{v.Date:yyyy-MM-dd}</td><td>{v.Start:HH\\:mm}–{v.End:HH\\:mm}</td><td>{v.Version}</td><td>{E(Names(v.StaffPresent, d.Staff))}</td><td>{E(v.Missed ? "未送：" + (v.MissedReason ?? "") : v.Content)}</td><td>{E(v.GuardianName)}</td><td>{ExportFile.ChinaMinute(v.RecordedAt)}</td></tr>");
        }
        return html.Append("</table></body></html>").ToString();
    }
}
