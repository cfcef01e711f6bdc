using System.Globalization;
using System.Text;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Features.Coverage;
using ControlDropout.Web.Features.People;
using ControlDropout.Web.Infrastructure;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Ledger;

/// <summary>
/// 台账: one row per child per term in the columns bureaus file, the same columns as xlsx, CSV or JSON.
/// The xlsx is the sheet as the bureau prints it (<see cref="Xlsx"/>): a title row
/// (县名 + 学期 + 送教上门学生台账), 填报单位 and 导出日期 under it, the frozen header, numbers as numbers, A4
/// landscape. The CSV and the JSON carry the header and the rows only (no title lines), so that a program
/// reading them finds the header on the first line; their numbers are written as digits. The counts (planned,
/// delivered, missed, 课时) run over the days the child's plan is in force (生效日期), from the same session
/// facts as coverage and the teaching file (<see cref="TermRecord"/>). Certificate numbers,
/// registration numbers and phones are masked unless the caller's role may unmask them, and every
/// export — unmasked ones named as such — is written to the audit trail.
/// </summary>
public sealed partial class LedgerExport(AppDbContext db, CurrentUser me, CurrentTerm currentTerm, HolidayCalendar holidays, NameBook names, TimeProvider clock)
{
    public static readonly string[] Columns =
    [
        "序号", "县(市、区)", "乡镇", "村/社区", "姓名", "性别", "民族", "出生日期", "残疾类别", "残疾等级", "残疾人证号", "评估结论及日期", "安置方式",
        "学籍学校", "年级", "全国学籍号", "送教学校及责任教师", "监护人/关系/电话", "审批文号及日期", "生效日期", "送教地点", "每周送教时间",
        "本学期计划次数", "已送次数", "缺送次数", "缺送次数及原因", "累计课时", "备注",
    ];

    /// <summary>The sheet's name in the workbook.</summary>
    public const string SheetName = "送教台账";

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
        var rows = await RowsAsync(record, unmask, ct).ConfigureAwait(false);
        var name = $"台账-{ExportFile.FileNamePart(term.Name)}";
        ExportFile file;
        if (format == "csv")
        {
            file = new ExportFile(Csv(rows), "text/csv; charset=utf-8", $"{name}.csv");
        }
        else if (format == "json")
        {
            // The same rows as the spreadsheet, each an object keyed by the bureaus' column names in their order.
            file = new ExportFile(JsonSerializer.SerializeToUtf8Bytes(rows.Select(r => Columns.Zip(r).ToDictionary(x => x.First, x => Text(x.Second), StringComparer.Ordinal)).ToList(), JsonOptions),
                "application/json; charset=utf-8", $"{name}.json");
        }
        else
        {
            var county = (await db.Counties.FindAsync([me.CountyCode], ct).ConfigureAwait(false))?.Name ?? me.CountyCode;
            var sheet = new XlsxSheet(SheetName, [.. Columns.Select(c => new XlsxColumn(c))], rows)
            {
                Title = $"{county}{term.Name}送教上门学生台账",
                Subtitles = [$"填报单位：{county}　　导出日期：{ExportFile.ChinaDay(clock.GetUtcNow())}"],
            };
            file = new ExportFile(Xlsx.Write(sheet), Xlsx.ContentType, $"{name}.xlsx");
        }
        // The file is made first: an export that fails leaves no audit row claiming it happened.
        await db.RecordReadAsync(unmask ? "export-unmasked" : "export", "Ledger", term.Id.ToString(), $"format: {format ?? "xlsx"}; rows: {rows.Count}", ct).ConfigureAwait(false);
        return file;
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A cell as CSV and JSON write it: text as it is, a number in digits.</summary>
    private static string Text(object? cell) => cell switch
    {
        null => "",
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => cell.ToString() ?? "",
    };

    private static byte[] Csv(IReadOnlyList<object?[]> rows)
    {
        static string Cell(string v) => v.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{v.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : v;
        var text = new StringBuilder();
        text.Append(string.Join(',', Columns.Select(Cell))).Append("\r\n");
        // Every cell is already printable (ExportFile.Cell): no NUL or ESC reaches the file.
        foreach (var row in rows)
        {
            text.Append(string.Join(',', row.Select(c => Cell(Text(c))))).Append("\r\n");
        }
        // UTF-8 with BOM, so that Excel opens the Chinese text as Chinese.
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    private async Task<List<object?[]>> RowsAsync(TermRecord record, bool unmasked, CancellationToken ct)
    {
        var countyCode = me.CountyCode;
        var county = await db.Counties.FindAsync([countyCode], ct).ConfigureAwait(false);
        var policy = record.Policy;
        // The version in force, or else the last one approved before the plan closed: a child whose plan
        // closed mid-term keeps its row for the weeks it was in force.
        var inForce = record.Plans.Select(p => (Plan: p, Version: p.Versions.Where(v => v.Status is PlanStatus.Approved or PlanStatus.Active).OrderByDescending(v => v.Number).FirstOrDefault()
                ?? p.Versions.Where(v => v.Status == PlanStatus.Closed && v.DecidedAt is not null).OrderByDescending(v => v.Number).FirstOrDefault()))
            .Where(x => x.Version is not null).GroupBy(x => x.Plan.StudentId).ToDictionary(g => g.Key, g => g.OrderByDescending(x => x.Version!.DecidedAt).First().Version!);
        var ids = record.Children.Select(c => c.Id).Where(inForce.ContainsKey).ToList();
        var students = await db.Students.AsNoTracking().Include(s => s.Assessments).Where(s => ids.Contains(s.Id)).ToListAsync(ct).ConfigureAwait(false);
        await names.LoadAsync(countyCode, ct).ConfigureAwait(false);
        // Login names never reach the file: an approver appears by the display name their account gives, if any.
        var displayNames = await db.Users.AsNoTracking().Where(u => u.CountyCode == countyCode && u.UserName != null)
            .Select(u => new { u.UserName, u.DisplayName }).ToListAsync(ct).ConfigureAwait(false);
        var shownAs = displayNames.ToDictionary(u => u.UserName!, u => string.IsNullOrWhiteSpace(u.DisplayName) || u.DisplayName == u.UserName ? null : u.DisplayName, StringComparer.Ordinal);
        var rows = new List<object?[]>();
        var n = 0;
        foreach (var s in students.OrderBy(s => s.VillageCode, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal))
        {
            var version = inForce[s.Id];
            var assessment = s.Assessments.OrderByDescending(a => a.Date).FirstOrDefault();
            // Planned: the sessions in force on the days the plan is in force, cancelled ones aside.
            var planned = record.InSpan(s.Id).Select(x => (Session: x, Status: record.StatusOf(x))).Where(x => x.Status != SessionStatus.Cancelled).ToList();
            var delivered = planned.Where(x => x.Status == SessionStatus.Delivered).ToList();
            var missed = planned.Where(x => x.Status == SessionStatus.Missed).Select(x => x.Session).ToList();
            var lessons = delivered.Sum(x => Lessons(record.RecordOf(x.Session) is { Missed: false } visit ? (visit.Start, visit.End) : (x.Session.Start, x.Session.End), policy.LessonMinutes));
            var school = names.Schools.GetValueOrDefault(s.SchoolOfRecordId.Value) ?? "";
            var teachers = string.Join("、", planned.SelectMany(x => x.Session.StaffIds).Distinct().Select(id => names.Staff.GetValueOrDefault(id, "")).Where(x => x.Length > 0).Order(StringComparer.Ordinal));
            var remarks = Remarks(record.Plans.Where(p => p.StudentId == s.Id), version, planned.Count == 0, user => shownAs.GetValueOrDefault(user));
            var township = Conventions.TownshipOf(s.VillageCode) is { } code ? names.Townships.GetValueOrDefault(code) ?? "" : "";
            object?[] row =
            [
                ++n, county?.Name ?? countyCode, township, names.Villages.GetValueOrDefault(s.VillageCode) ?? "",
                s.Name, s.Gender, s.Ethnicity, s.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Category(s.DisabilityCategory), Grade(s.DisabilityGrade),
                unmasked ? s.DisabilityCertificateNo : Masking.Identifier(s.DisabilityCertificateNo),
                assessment is null ? "" : $"{Conclusion(assessment.Conclusion)}（{assessment.Date:yyyy-MM-dd}）",
                version.Mode switch { TeachingMode.Home => "送教上门", TeachingMode.Remote => "远程送教", _ => "送教上门与远程送教结合" },
                school, SchoolGrade(s.BirthDate, record.Term.FirstDay), unmasked ? s.NationalStudentNo : Masking.Identifier(s.NationalStudentNo),
                teachers.Length > 0 ? $"{school}：{teachers}" : school,
                string.Join("；", s.Guardians.Select(g => $"{g.Name}/{g.Relation}/{(unmasked ? g.Phone : Masking.Phone(g.Phone))}")),
                ApprovalOf(version),
                TermRecord.EffectiveDates(record.SpansOf(s.Id)),
                Place(version.Mode, names.Village(s.VillageCode)),
                WeeklyTimes(planned.Select(x => x.Session), record.Today),
                planned.Count, delivered.Count, missed.Count, MissedWithReasons(missed.Select(record.MissedReasonOf)),
                lessons, remarks,
            ];
            rows.Add([.. row.Select(c => c is string text ? ExportFile.Cell(text) : c)]);
        }
        return rows;
    }

    /// <summary>
    /// 年级 from the birth date and the term: a child who turns 6 by 31 August enters 一年级 that September (the
    /// school year runs September to August, so a spring term belongs to the year begun the September before).
    /// Outside 一年级…九年级 the answer is 学前 or 超龄. The 学籍's own grade is not recorded yet: when it is,
    /// it should take precedence over this estimate (a child held back or sent late is a year off).
    /// </summary>
    public static string SchoolGrade(DateOnly birthDate, DateOnly termDay)
    {
        var schoolYear = termDay.Month >= 8 ? termDay.Year : termDay.Year - 1;
        var entry = birthDate.Year + 6 + (birthDate.Month > 8 ? 1 : 0);
        var grade = schoolYear - entry + 1;
        return grade switch
        {
            < 1 => "学前",
            > 9 => "超龄",
            _ => "一二三四五六七八九"[grade - 1] + "年级",
        };
    }

    /// <summary>审批文号及日期: the approved version's number and its decision day; an older version without one says 未编号.</summary>
    internal static string ApprovalOf(PlanVersion version)
    {
        var day = version.DecidedAt is { } decided ? ExportFile.ChinaDay(decided) : "";
        return version.ApprovalNo is { Length: > 0 } number ? $"{number} {day}".TrimEnd() : $"（未编号）{day}";
    }

    /// <summary>送教地点: the child's village (with its township) for home visits, 线上 for remote teaching.</summary>
    internal static string Place(TeachingMode mode, string village) => mode switch
    {
        TeachingMode.Remote => "线上",
        TeachingMode.Home => village,
        _ => $"{village}；线上",
    };

    /// <summary>
    /// 每周送教时间 as of a recent teaching week: the latest week begun by <paramref name="today"/> that has sessions
    /// (before the first such week, the first week to come), e.g. "周二 09:00–10:20；周四 14:00–15:20（线上）".
    /// </summary>
    internal static string WeeklyTimes(IEnumerable<TimetableSession> sessions, DateOnly today)
    {
        var all = sessions.ToList();
        if (all.Count == 0)
        {
            return "";
        }
        var begun = all.Where(x => x.Date <= today).ToList();
        var week = begun.Count > 0 ? begun.Select(x => x.Week).Max(StringComparer.Ordinal) : all.Select(x => x.Week).Min(StringComparer.Ordinal);
        return string.Join("；", all.Where(x => x.Week == week).OrderBy(x => x.Date).ThenBy(x => x.Start)
            .Select(x => string.Create(CultureInfo.InvariantCulture, $"{Zh.Weekday(x.Date.DayOfWeek)} {x.Start:HH:mm}–{x.End:HH:mm}{(x.Mode == SessionModes.Remote ? "（线上）" : "")}"))
            .Distinct(StringComparer.Ordinal));
    }

    /// <summary>缺送次数及原因: "2（家长外出；教师请假）", a reason given more than once with its count ("家长外出×2").</summary>
    internal static string MissedWithReasons(IEnumerable<string> reasons)
    {
        var all = reasons.ToList();
        if (all.Count == 0)
        {
            return "0";
        }
        var grouped = all.GroupBy(r => r, StringComparer.Ordinal).Select(g => g.Count() > 1 ? $"{g.Key}×{g.Count()}" : g.Key);
        return string.Create(CultureInfo.InvariantCulture, $"{all.Count}（{string.Join("；", grouped)}）");
    }

    /// <summary>
    /// 备注 in one readable line: how the plan ended (its last day and reason: "2026-10-15 转出至…", "评估为随班就读（文号）"),
    /// a 残疾等级 exception recorded by the approver — by their display name, never their login — and 未排课 when
    /// nothing was scheduled. The missed sessions have their own column (缺送次数及原因).
    /// </summary>
    internal static string Remarks(IEnumerable<Plan> plans, PlanVersion version, bool unscheduled, Func<string, string?> displayNameOf)
    {
        var parts = new List<string>();
        foreach (var plan in plans.Where(p => !string.IsNullOrWhiteSpace(p.ClosedReason)))
        {
            parts.Add(plan.EffectiveUntil is { } until ? $"{until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} {plan.ClosedReason}" : plan.ClosedReason!);
        }
        if (!string.IsNullOrWhiteSpace(version.GradeException))
        {
            parts.Add($"残疾等级例外：{WithoutLogin(version.GradeException, displayNameOf)}");
        }
        if (unscheduled)
        {
            parts.Add("未排课");
        }
        return string.Join("；", parts);
    }

    /// <summary>A grade exception is stored as "理由（login 登记）": the login becomes the display name, or goes.</summary>
    private static string WithoutLogin(string exception, Func<string, string?> displayNameOf)
    {
        var match = RecordedBy().Match(exception);
        if (!match.Success)
        {
            return exception;
        }
        var reason = match.Groups["reason"].Value;
        return displayNameOf(match.Groups["user"].Value) is { } shown ? $"{reason}（{shown} 登记）" : reason;
    }

    [GeneratedRegex(@"^(?<reason>.*)（(?<user>[^（）]+) 登记）$", RegexOptions.Singleline)]
    private static partial Regex RecordedBy();

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
