using System.Globalization;
using System.Text;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Features.Coverage;
using ControlDropout.Web.Features.People;
using ControlDropout.Web.Infrastructure;
using MiniExcelLibs;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Ledger;

/// <summary>
/// 台账: one row per child per term in the columns bureaus file, as xlsx, CSV or JSON. The counts (planned,
/// delivered, missed, 课时) run over the days the child's plan is in force (生效日期), from the same session
/// facts as coverage and the teaching file (<see cref="TermRecord"/>). Certificate numbers,
/// registration numbers and phones are masked unless the caller's role may unmask them, and every
/// export — unmasked ones named as such — is written to the audit trail.
/// </summary>
public sealed class LedgerExport(AppDbContext db, CurrentUser me, CurrentTerm currentTerm, HolidayCalendar holidays, TimeProvider clock)
{
    public static readonly string[] Columns =
    [
        "序号", "县(市、区)", "乡镇", "村/社区", "姓名", "性别", "民族", "出生日期", "残疾类别", "残疾等级", "残疾人证号", "评估结论及日期", "安置方式",
        "学籍学校", "年级", "全国学籍号", "送教学校及责任教师", "监护人/关系/电话", "审批文号及日期", "生效日期", "本学期计划次数", "已送次数", "缺课次数", "累计课时", "备注",
    ];

    /// <summary>What the downloads page lists: the current term and every child of the county with a plan.</summary>
    public sealed record Index(string TermName, IReadOnlyList<(Guid Id, string Name, Guid SchoolId)> Children);

    public async Task<Result<Index>> IndexAsync(CancellationToken ct)
    {
        if (!me.May(Permission.ExportRecords))
        {
            return Refusal.NotAllowed();
        }
        var term = await currentTerm.FindAsync(ct).ConfigureAwait(false);
        var withPlans = db.Plans.Where(p => p.CountyCode == me.CountyCode).Select(p => p.StudentId);
        var students = await db.Students.AsNoTracking().Where(s => s.CountyCode == me.CountyCode && withPlans.Contains(s.Id)).ToListAsync(ct).ConfigureAwait(false);
        return new Index(term?.Name ?? "", [.. students.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => (s.Id.Value, s.Name, s.SchoolOfRecordId.Value))]);
    }

    /// <summary>The ledger of the given term, or of the current one.</summary>
    public async Task<Result<ExportFile>> ExportAsync(Guid? termId, string? format, bool unmask, CancellationToken ct)
    {
        if (!me.May(Permission.ExportRecords))
        {
            return Refusal.NotAllowed();
        }
        if (format is not (null or "xlsx" or "csv" or "json"))
        {
            return Refusal.Invalid("format", "格式须为 xlsx、csv 或 json");
        }
        if (unmask && !me.May(Permission.Unmask))
        {
            return Refusal.Forbidden("unmask_not_allowed", "您无权导出未遮蔽的证件号和电话（只有审批人或管理员可以）");
        }
        var terms = await currentTerm.AllAsync(ct).ConfigureAwait(false);
        var term = termId is { } id ? terms.SingleOrDefault(t => t.Id == new TermId(id)) : CurrentTerm.Pick(terms, currentTerm.Today);
        if (term is null)
        {
            return Refusal.NotFound();
        }
        var record = await TermRecord.LoadAsync(db, me.CountyCode, term, holidays, clock.GetUtcNow(), null, ct).ConfigureAwait(false);
        var rows = await RowsAsync(db, me.CountyCode, record, unmask, ct).ConfigureAwait(false);
        var name = $"台账-{ExportFile.FileNamePart(term.Name)}";
        ExportFile file;
        if (format == "csv")
        {
            file = new ExportFile(Csv(rows), "text/csv; charset=utf-8", $"{name}.csv");
        }
        else if (format == "json")
        {
            // The same rows as the spreadsheet, each an object keyed by the bureaus' column names in their order.
            file = new ExportFile(JsonSerializer.SerializeToUtf8Bytes(rows.Select(r => Columns.Zip(r).ToDictionary(x => x.First, x => x.Second, StringComparer.Ordinal)).ToList(), JsonOptions),
                "application/json; charset=utf-8", $"{name}.json");
        }
        else
        {
            using var stream = new MemoryStream();
            await stream.SaveAsAsync(rows.Select(r => (IDictionary<string, object>)Columns.Zip(r, (c, v) => (c, (object)v)).ToDictionary(x => x.c, x => x.Item2)), cancellationToken: ct).ConfigureAwait(false);
            file = new ExportFile(stream.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{name}.xlsx");
        }
        // The file is made first: an export that fails leaves no audit row claiming it happened.
        await db.RecordReadAsync(unmask ? "export-unmasked" : "export", "Ledger", term.Id.ToString(), $"format: {format ?? "xlsx"}; rows: {rows.Count}", ct).ConfigureAwait(false);
        return file;
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static byte[] Csv(IReadOnlyList<string[]> rows)
    {
        static string Cell(string v) => v.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{v.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : v;
        var text = new StringBuilder();
        text.Append(string.Join(',', Columns.Select(Cell))).Append("\r\n");
        // Every cell is already printable (ExportFile.Cell): no NUL or ESC reaches the file.
        foreach (var row in rows)
        {
            text.Append(string.Join(',', row.Select(Cell))).Append("\r\n");
        }
        // UTF-8 with BOM, so that Excel opens the Chinese text as Chinese.
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    private static async Task<List<string[]>> RowsAsync(AppDbContext db, string countyCode, TermRecord record, bool unmasked, CancellationToken ct)
    {
        var county = await db.Counties.FindAsync([countyCode], ct).ConfigureAwait(false);
        var policy = record.Policy;
        // The version in force, or else the last one approved before the plan closed: a child whose plan
        // closed mid-term keeps its row for the weeks it was in force.
        var inForce = record.Plans.Select(p => (Plan: p, Version: p.Versions.Where(v => v.Status is PlanStatus.Approved or PlanStatus.Active).OrderByDescending(v => v.Number).FirstOrDefault()
                ?? p.Versions.Where(v => v.Status == PlanStatus.Closed && v.DecidedAt is not null).OrderByDescending(v => v.Number).FirstOrDefault()))
            .Where(x => x.Version is not null).GroupBy(x => x.Plan.StudentId).ToDictionary(g => g.Key, g => g.OrderByDescending(x => x.Version!.DecidedAt).First().Version!);
        var ids = record.Children.Select(c => c.Id).Where(inForce.ContainsKey).ToList();
        var students = await db.Students.AsNoTracking().Include(s => s.Assessments).Where(s => ids.Contains(s.Id)).ToListAsync(ct).ConfigureAwait(false);
        var schools = await db.Schools.AsNoTracking().Where(s => s.CountyCode == countyCode).ToDictionaryAsync(s => s.Id, ct).ConfigureAwait(false);
        var townships = await db.Townships.AsNoTracking().Where(t => t.CountyCode == countyCode).ToDictionaryAsync(t => t.Code, ct).ConfigureAwait(false);
        var villageCodes = students.Select(s => s.VillageCode).ToList();
        var villages = await db.Villages.AsNoTracking().Where(v => villageCodes.Contains(v.Code)).ToDictionaryAsync(v => v.Code, ct).ConfigureAwait(false);
        var staff = await db.Staff.AsNoTracking().Where(s => s.CountyCode == countyCode).ToDictionaryAsync(s => s.Id.Value, s => s.Name, ct).ConfigureAwait(false);
        var rows = new List<string[]>();
        var n = 0;
        foreach (var s in students.OrderBy(s => s.VillageCode, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal))
        {
            var version = inForce[s.Id];
            var assessment = s.Assessments.OrderByDescending(a => a.Date).FirstOrDefault();
            // Planned: the sessions in force on the days the plan is in force, cancelled ones aside.
            var planned = record.InSpan(s.Id).Select(x => (Session: x, Status: record.StatusOf(x))).Where(x => x.Status != SessionStatus.Cancelled).ToList();
            var delivered = planned.Where(x => x.Status == SessionStatus.Delivered).ToList();
            var missed = planned.Where(x => x.Status == SessionStatus.Missed).ToList();
            var lessons = delivered.Sum(x => Lessons(record.RecordOf(x.Session) is { Missed: false } visit ? (visit.Start, visit.End) : (x.Session.Start, x.Session.End), policy.LessonMinutes));
            var school = schools.GetValueOrDefault(s.SchoolOfRecordId)?.Name ?? "";
            var teachers = string.Join("、", planned.SelectMany(x => x.Session.StaffIds).Distinct().Select(id => staff.GetValueOrDefault(id, "")).Where(x => x.Length > 0).Order(StringComparer.Ordinal));
            var remarks = Remarks(record.Plans.Where(p => p.StudentId == s.Id), version,
                planned.Count == 0 ? ["未排课"] : missed.Select(x => $"{Zh.ShortDate(x.Session.Date)} {record.WordsOf(x.Session)}"));
            string[] row =
            [
                (++n).ToString(CultureInfo.InvariantCulture), county?.Name ?? countyCode,
                Conventions.TownshipOf(s.VillageCode) is { } township ? townships.GetValueOrDefault(township)?.Name ?? "" : "", villages.GetValueOrDefault(s.VillageCode)?.Name ?? "",
                s.Name, s.Gender, s.Ethnicity, s.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Category(s.DisabilityCategory), Grade(s.DisabilityGrade),
                unmasked ? s.DisabilityCertificateNo : Masking.Identifier(s.DisabilityCertificateNo),
                assessment is null ? "" : $"{Conclusion(assessment.Conclusion)}（{assessment.Date:yyyy-MM-dd}）",
                version.Mode switch { TeachingMode.Home => "送教上门", TeachingMode.Remote => "远程送教", _ => "送教上门与远程送教结合" },
                school, "", unmasked ? s.NationalStudentNo : Masking.Identifier(s.NationalStudentNo),
                teachers.Length > 0 ? $"{school}：{teachers}" : school,
                string.Join("；", s.Guardians.Select(g => $"{g.Name}/{g.Relation}/{(unmasked ? g.Phone : Masking.Phone(g.Phone))}")),
                $"方案第{version.Number}版（{(version.DecidedAt is { } decided ? ExportFile.ChinaDay(decided) : "")} {version.DecidedBy}）",
                TermRecord.EffectiveDates(record.SpansOf(s.Id)),
                planned.Count.ToString(CultureInfo.InvariantCulture), delivered.Count.ToString(CultureInfo.InvariantCulture), missed.Count.ToString(CultureInfo.InvariantCulture),
                lessons.ToString(CultureInfo.InvariantCulture), remarks,
            ];
            rows.Add([.. row.Select(ExportFile.Cell)]);
        }
        return rows;
    }

    /// <summary>
    /// 备注 in one readable line: how the plan ended (its last day and reason: "2026-10-15 转出至…", "评估为随班就读（文号）"),
    /// a 残疾等级 exception recorded by the approver, then the sessions missed (or 未排课).
    /// </summary>
    internal static string Remarks(IEnumerable<Plan> plans, PlanVersion version, IEnumerable<string> sessions)
    {
        var parts = new List<string>();
        foreach (var plan in plans.Where(p => !string.IsNullOrWhiteSpace(p.ClosedReason)))
        {
            parts.Add(plan.EffectiveUntil is { } until ? $"{until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} {plan.ClosedReason}" : plan.ClosedReason!);
        }
        if (!string.IsNullOrWhiteSpace(version.GradeException))
        {
            parts.Add($"残疾等级例外：{version.GradeException}");
        }
        parts.AddRange(sessions);
        return string.Join("；", parts);
    }

    /// <summary>课时 of one visit; a visit whose end is not after its start (a damaged row) counts none.</summary>
    internal static int Lessons((TimeOnly Start, TimeOnly End) visit, int lessonMinutes) =>
        visit.End <= visit.Start || lessonMinutes <= 0 ? 0
        : (int)Math.Round((visit.End.ToTimeSpan() - visit.Start.ToTimeSpan()).TotalMinutes / lessonMinutes, MidpointRounding.AwayFromZero);

    private static string Category(DisabilityCategory c) => c switch
    {
        DisabilityCategory.Visual => "视力", DisabilityCategory.Hearing => "听力", DisabilityCategory.Speech => "言语", DisabilityCategory.Physical => "肢体",
        DisabilityCategory.Intellectual => "智力", DisabilityCategory.Mental => "精神", _ => "多重",
    };

    private static string Grade(int grade) => grade switch { 1 => "一级", 2 => "二级", 3 => "三级", _ => "四级" };

    private static string Conclusion(AssessmentConclusion c) => c switch
    {
        AssessmentConclusion.HomeTeaching => "送教上门", AssessmentConclusion.RemoteTeaching => "远程送教", AssessmentConclusion.RegularClass => "随班就读",
        AssessmentConclusion.SpecialSchool => "特教学校", _ => "延缓入学",
    };
}
