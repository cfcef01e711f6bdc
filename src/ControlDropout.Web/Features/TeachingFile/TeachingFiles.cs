using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Features.Coverage;
using ControlDropout.Web.Infrastructure;
using MiniExcelLibs;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.TeachingFile;

/// <summary>One item of the approved plan as the file states it (方案版本, 审批人 …).</summary>
public sealed record TeachingFileItem(string Key, string Value);

/// <summary>
/// One session of a teaching week: what was planned (the session in force: date, time, team), what happened
/// (the newest visit record: who recorded it and when, who was there, content, goals, times) and the
/// difference (代课, 改期, 缺课 with its reason, 已取消, 未纳入方案).
/// </summary>
public sealed record TeachingFileRow(
    string SessionKey, DateOnly PlannedDate, TimeOnly PlannedStart, TimeOnly PlannedEnd, string Mode, IReadOnlyList<Guid> PlannedStaffIds, string PlannedTeam,
    SessionStatus Status, string StatusText,
    string? RecordedBy, DateTimeOffset? RecordedAt, DateOnly? Date, TimeOnly? Start, TimeOnly? End, IReadOnlyList<Guid> StaffPresent, string Present,
    string Content, IReadOnlyList<string> GoalsAddressed, IReadOnlyList<string> Differences);

/// <summary>One teaching week of the child's span: the week's coverage as weekly coverage states it, and its sessions.</summary>
public sealed record TeachingFileWeek(string Week, string Title, bool InPlan, CoverageStatus Coverage, string CoverageText, IReadOnlyList<TeachingFileRow> Rows);

/// <summary>送教档案 of one child for one term, as the JSON format gives it.</summary>
public sealed record TeachingFileDto(Guid StudentId, string Child, Guid TermId, string Term, string EffectiveDates, IReadOnlyList<TeachingFileItem> Plan, IReadOnlyList<TeachingFileWeek> Weeks);

/// <summary>
/// 送教档案 of one child for a term: the plan as approved (version, approver, date, effective dates), then
/// ONE table per teaching week of the child's span — planned, happened, difference — read from the same
/// session facts as coverage and the ledger (<see cref="TermRecord"/>), so that no part of it can contradict
/// another; and every version of every visit record, corrections included. As xlsx (a sheet per week),
/// JSON, or a printable page. Exports are audited; numbers and phones do not appear in it at all.
/// </summary>
public sealed class TeachingFiles(AppDbContext db, CurrentUser me, HolidayCalendar holidays, TimeProvider clock)
{
    private sealed record FileData(TeachingFileDto File, List<VisitRecord> Visits, Dictionary<Guid, string> Staff);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public async Task<Result<ExportFile>> ExportAsync(StudentId id, Guid? termId, string? format, CancellationToken ct)
    {
        if (!me.May(Permission.ExportRecords))
        {
            return Refusal.NotAllowed();
        }
        if (format is not (null or "xlsx" or "html" or "json"))
        {
            return Refusal.Invalid("format", "格式须为 xlsx、html 或 json");
        }
        var child = await db.Students.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && s.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
        var plans = await db.Plans.AsNoTracking().Include(p => p.Versions).Where(p => p.StudentId == id && p.CountyCode == me.CountyCode).ToListAsync(ct).ConfigureAwait(false);
        var plan = termId is { } t ? plans.FirstOrDefault(p => p.TermId == new TermId(t)) : plans.OrderByDescending(p => p.Id.Value).FirstOrDefault();
        if (child is null || plan is null)
        {
            return Refusal.NotFound();
        }
        var term = Coverage.CoverageReports.Readable(await db.Terms.AsNoTracking().SingleAsync(x => x.Id == plan.TermId, ct).ConfigureAwait(false));
        // The version in force, or else the last one that was approved before the plan closed.
        var version = plan.Versions.Where(v => v.Status is PlanStatus.Approved or PlanStatus.Active).OrderByDescending(v => v.Number).FirstOrDefault()
            ?? plan.Versions.Where(v => v.Status == PlanStatus.Closed && v.DecidedAt is not null).OrderByDescending(v => v.Number).FirstOrDefault();
        var record = await TermRecord.LoadAsync(db, me.CountyCode, term, holidays, clock.GetUtcNow(), child.Id, ct).ConfigureAwait(false);
        var visits = await db.Visits.AsNoTracking().Where(v => v.CountyCode == me.CountyCode && v.StudentId == child.Id && v.Date >= term.FirstDay && v.Date <= term.LastDay)
            .OrderBy(v => v.Date).ThenBy(v => v.SessionKey).ThenBy(v => v.Version).ToListAsync(ct).ConfigureAwait(false);
        var staff = await db.Staff.AsNoTracking().Where(s => s.CountyCode == me.CountyCode).ToDictionaryAsync(s => s.Id.Value, s => s.Name, ct).ConfigureAwait(false);
        var data = new FileData(Describe(child, term, version, record, staff), visits, staff);
        var name = $"送教档案-{ExportFile.FileNamePart(child.Name)}-{ExportFile.FileNamePart(term.Name)}";
        var file = format switch
        {
            "html" => new ExportFile(Encoding.UTF8.GetBytes(Html(data)), "text/html; charset=utf-8", ""),
            "json" => new ExportFile(JsonSerializer.SerializeToUtf8Bytes(data.File, JsonOptions), "application/json; charset=utf-8", ""),
            _ => new ExportFile(await XlsxAsync(data, ct).ConfigureAwait(false), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{name}.xlsx"),
        };
        // The file is made first: an export that fails leaves no audit row claiming it happened.
        await db.RecordReadAsync("export", "TeachingFile", child.Id.ToString(), $"term: {term.Id}; format: {format ?? "xlsx"}", ct).ConfigureAwait(false);
        return file;
    }

    /// <summary>The file's content, the same for every format.</summary>
    private static TeachingFileDto Describe(Student child, Term term, PlanVersion? plan, TermRecord record, Dictionary<Guid, string> staff)
    {
        var spans = record.SpansOf(child.Id);
        var sessions = record.SessionsOf(child.Id);
        var weeks = new List<TeachingFileWeek>();
        foreach (var week in record.WeeksOf(child))
        {
            var inSpan = week.Days.Any(d => record.InForce(child.Id, d.Date));
            // A session outside the span is listed only when something was recorded against it: no record is hidden.
            var rows = sessions.Where(s => s.Week == week.Week && (record.InForce(child.Id, s.Date) || record.RecordOf(s) is not null))
                .Select(s => Row(s, record, sessions, staff, child.Id)).ToList();
            if (!inSpan && rows.Count == 0)
            {
                continue;
            }
            var coverage = record.Coverage(child, week.Week);
            weeks.Add(new TeachingFileWeek(week.Week, Zh.Week(week.Week), record.InPlan(child, week), coverage.Status, Zh.Of(coverage.Status), rows));
        }
        return new TeachingFileDto(child.Id.Value, child.Name, term.Id.Value, term.Name, TermRecord.EffectiveDates(spans), [.. PlanItems(child, term, plan, spans)], weeks);
    }

    private static TeachingFileRow Row(TimetableSession s, TermRecord record, IReadOnlyList<TimetableSession> all, Dictionary<Guid, string> staff, StudentId child)
    {
        var status = record.StatusOf(s);
        // A record belongs to the session in force with its key; a cancelled copy beside a live one does not carry it.
        var visit = status == SessionStatus.Cancelled && all.Any(o => o.SessionKey == s.SessionKey && o.Status != SessionStatus.Cancelled) ? null : record.RecordOf(s);
        var differences = new List<string>();
        if (!record.InForce(child, s.Date))
        {
            differences.Add(Zh.Of(CoverageStatus.NotInPlan));
        }
        if (status is SessionStatus.Cancelled or SessionStatus.Missed)
        {
            differences.Add(record.WordsOf(s));
        }
        if (visit is { Missed: false })
        {
            if (!visit.StaffPresent.ToHashSet().SetEquals(s.StaffIds))
            {
                differences.Add("代课");
            }
            if (visit.Date != s.Date || visit.Start != s.Start || visit.End != s.End)
            {
                differences.Add(string.IsNullOrWhiteSpace(visit.RescheduleReason) ? "改期" : $"改期（{visit.RescheduleReason}）");
            }
        }
        return new TeachingFileRow(s.SessionKey, s.Date, s.Start, s.End, s.Mode, s.StaffIds, Names(s.StaffIds, staff), status, record.WordsOf(s),
            visit?.RecordedBy, visit?.RecordedAt, visit?.Date, visit?.Start, visit?.End, visit?.StaffPresent ?? [], visit is null ? "" : Names(visit.StaffPresent, staff),
            visit is null || visit.Missed ? "" : visit.Content, visit is null || visit.Missed ? [] : visit.GoalsAddressed, differences);
    }

    private static string Names(IEnumerable<Guid> ids, Dictionary<Guid, string> staff) => string.Join("、", ids.Select(i => staff.GetValueOrDefault(i, "?")));

    private static IEnumerable<TeachingFileItem> PlanItems(Student child, Term term, PlanVersion? plan, IReadOnlyList<EffectiveSpan> spans) =>
    [
        new("学生", child.Name), new("学期", term.Name),
        new("方案版本", plan is null ? "无已审批方案" : $"第{plan.Number}版"),
        new("审批人", plan?.DecidedBy ?? ""), new("审批日期", plan?.DecidedAt is { } decided ? ExportFile.ChinaDay(decided) : ""),
        new("生效日期", spans.Count == 0 ? "未生效" : TermRecord.EffectiveDates(spans)),
        new("审批意见", plan?.Opinion ?? ""), new("课程计划", plan?.CoursePlan ?? ""), new("授课内容", plan?.Content ?? ""),
        new("IEP 目标", string.Join("；", plan?.Goals ?? [])), new("每周送教", $"上门 {plan?.HomeVisitsPerWeek ?? 0} 次，远程 {plan?.RemoteSessionsPerWeek ?? 0} 次，每次 {plan?.LessonsPerVisit ?? 0} 课时"),
    ];

    /// <summary>
    /// The columns of a week's table, planned first, then what happened, then the difference; <paramref name="cell"/>
    /// makes free text safe for the medium (a spreadsheet neutralises formulas, a page encodes later).
    /// </summary>
    private static Dictionary<string, string> Cells(TeachingFileWeek week, TeachingFileRow? r, Func<string?, string> cell) => new(StringComparer.Ordinal)
    {
        ["本周"] = week.CoverageText,
        ["计划日期"] = r is null ? "" : r.PlannedDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["计划时间"] = r is null ? "" : $"{r.PlannedStart:HH\\:mm}–{r.PlannedEnd:HH\\:mm}",
        ["方式"] = r is null ? "" : r.Mode == SessionModes.Home ? "送教上门" : "远程送教",
        ["计划送教人员"] = cell(r?.PlannedTeam),
        ["状态"] = cell(r?.StatusText ?? (week.Coverage == CoverageStatus.Unscheduled ? "本周未排课" : "")),
        ["记录人"] = cell(r?.RecordedBy),
        ["记录时间"] = r?.RecordedAt is { } at ? ExportFile.ChinaMinute(at) : "",
        ["实际日期"] = r?.Date is { } d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "",
        ["实际时间"] = r is { Start: { } start, End: { } end } ? $"{start:HH\\:mm}–{end:HH\\:mm}" : "",
        ["到场人员"] = cell(r?.Present),
        ["授课内容"] = cell(r?.Content),
        ["IEP 目标"] = cell(string.Join("；", r?.GoalsAddressed ?? [])),
        ["差异"] = cell(string.Join("；", r?.Differences ?? [])),
    };

    private static async Task<byte[]> XlsxAsync(FileData d, CancellationToken ct)
    {
        var sheets = new Dictionary<string, object>
        {
            ["方案"] = d.File.Plan.Select(r => new Dictionary<string, object> { ["项目"] = r.Key, ["内容"] = ExportFile.Cell(r.Value) }).ToList(),
        };
        // One sheet per teaching week; a week with nothing in it still says what it is (未排课, 免).
        foreach (var week in d.File.Weeks)
        {
            static Dictionary<string, object> Sheet(Dictionary<string, string> cells) => cells.ToDictionary(c => c.Key, c => (object)c.Value, StringComparer.Ordinal);
            sheets[week.Week] = week.Rows.Count == 0 ? [Sheet(Cells(week, null, ExportFile.Cell))] : week.Rows.Select(r => Sheet(Cells(week, r, ExportFile.Cell))).ToList();
        }
        // Every version of every record, corrections included: the history behind each week's newest record.
        sheets["送教记录"] = d.Visits.Count == 0 ? [new Dictionary<string, object> { ["日期"] = "" }] : d.Visits.Select(v => new Dictionary<string, object>
        {
            ["日期"] = v.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["时间"] = $"{v.Start:HH\\:mm}–{v.End:HH\\:mm}", ["版本"] = v.Version,
            ["到场人员"] = ExportFile.Cell(Names(v.StaffPresent, d.Staff)), ["授课内容"] = ExportFile.Cell(v.Content), ["IEP 目标"] = ExportFile.Cell(string.Join("；", v.GoalsAddressed)),
            ["学生反应"] = ExportFile.Cell(v.ChildResponse), ["家长反馈"] = ExportFile.Cell(v.GuardianFeedback), ["家长签名"] = ExportFile.Cell(v.GuardianName),
            ["未送原因"] = ExportFile.Cell(v.Missed ? v.MissedReason ?? "" : ""), ["更正原因"] = ExportFile.Cell(v.CorrectionReason ?? ""),
            ["改期原因"] = ExportFile.Cell(v.RescheduleReason ?? ""),
            ["记录人"] = ExportFile.Cell(v.RecordedBy), ["记录时间"] = ExportFile.ChinaMinute(v.RecordedAt),
        }).ToList();
        using var stream = new MemoryStream();
        await stream.SaveAsAsync(sheets, cancellationToken: ct).ConfigureAwait(false);
        return stream.ToArray();
    }

    private static string Plain(string? text) => text ?? "";

    /// <summary>A plain page for printing and signing, every value HTML-encoded.</summary>
    private static string Html(FileData d)
    {
        static string E(string? s) => WebUtility.HtmlEncode(Validation.Printable(s));
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>送教档案</title>")
            // A stylesheet of our own, not an inline one: the Content-Security-Policy allows nothing inline.
            .Append("<link rel=\"stylesheet\" href=\"/css/teaching-file.css\"></head><body>")
            .Append(CultureInfo.InvariantCulture, $"<h1>送教档案：{E(d.File.Child)}（{E(d.File.Term)}）</h1><h2>方案</h2><table>");
        foreach (var item in d.File.Plan)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{E(item.Key)}</th><td>{E(item.Value)}</td></tr>");
        }
        html.Append("</table>");
        foreach (var week in d.File.Weeks)
        {
            html.Append(CultureInfo.InvariantCulture, $"<h2>{E(week.Title)}：{E(week.CoverageText)}</h2><table><tr>");
            var header = Cells(week, null, Plain).Keys.Skip(1).ToList();
            foreach (var column in header)
            {
                html.Append(CultureInfo.InvariantCulture, $"<th scope=\"col\">{E(column)}</th>");
            }
            html.Append("</tr>");
            if (week.Rows.Count == 0)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td colspan=\"{header.Count}\">{E(week.Coverage == CoverageStatus.Unscheduled ? "本周未排课" : "本周无课次")}</td></tr>");
            }
            foreach (var row in week.Rows)
            {
                html.Append("<tr>");
                foreach (var cell in Cells(week, row, Plain).Skip(1))
                {
                    html.Append(CultureInfo.InvariantCulture, $"<td>{E(cell.Value)}</td>");
                }
                html.Append("</tr>");
            }
            html.Append("</table>");
        }
        html.Append("<h2>送教记录（含更正版本）</h2><table><tr><th>日期</th><th>时间</th><th>版本</th><th>到场人员</th><th>授课内容</th><th>家长签名</th><th>记录时间</th></tr>");
        foreach (var v in d.Visits)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{v.Date:yyyy-MM-dd}</td><td>{v.Start:HH\\:mm}–{v.End:HH\\:mm}</td><td>{v.Version}</td><td>{E(Names(v.StaffPresent, d.Staff))}</td><td>{E(v.Missed ? "未送：" + (v.MissedReason ?? "") : v.Content)}</td><td>{E(v.GuardianName)}</td><td>{ExportFile.ChinaMinute(v.RecordedAt)}</td></tr>");
        }
        return html.Append("</table></body></html>").ToString();
    }
}
