using System.Globalization;
using ReasonCodes = ControlDropout.Scheduling.Timetables.ReasonCodes;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Coverage;

namespace ControlDropout.Web.Infrastructure;

/// <summary>
/// The words and date forms the pages use, as bureaus write them: <c>2026年9月7日 周一</c>, 课时, 学期.
/// Every enum a page shows has its Chinese here, so that one guess finds the wording.
/// </summary>
public static class Zh
{
    private static readonly string[] WeekdayNames = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];

    // Every formatter here is total: whatever value the database holds (DateOnly.MinValue, a day number
    // of 9, an instant at the end of time), it gives text, never an exception that fails a whole page.

    public static string Weekday(DayOfWeek day) => (int)day is >= 0 and < 7 ? WeekdayNames[(int)day] : "";

    /// <summary>Day 1 (Monday) … 7 (Sunday), as plans and staff windows number them.</summary>
    public static string Weekday(int isoDay) => WeekdayNames[((isoDay % 7) + 7) % 7];

    public static string Date(DateOnly date) => string.Create(CultureInfo.InvariantCulture, $"{date.Year}年{date.Month}月{date.Day}日 {Weekday(date.DayOfWeek)}");

    /// <summary>A day without its weekday, for days that are not appointments: a birth date, 2016年3月2日.</summary>
    public static string DateWithoutWeekday(DateOnly date) => string.Create(CultureInfo.InvariantCulture, $"{date.Year}年{date.Month}月{date.Day}日");

    public static string ShortDate(DateOnly date) => string.Create(CultureInfo.InvariantCulture, $"{date.Month}月{date.Day}日");

    public static string Time(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    public static string DateTime(DateTimeOffset at)
    {
        var local = Conventions.InChina(at);
        return Date(DateOnly.FromDateTime(local)) + " " + Time(TimeOnly.FromDateTime(local));
    }

    public static DateOnly Today(TimeProvider clock) => Conventions.ChinaDay(clock.GetUtcNow());

    /// <summary>"2026-W37" as people say it: 第37周（9月7日–9月13日）.</summary>
    public static string Week(string isoWeek)
    {
        // A week that does not exist (2026-W99), or whose Sunday is past the calendar's end, is shown as written.
        if (!Validation.IsIsoWeek(isoWeek))
        {
            return isoWeek;
        }
        var year = int.Parse(isoWeek.AsSpan(0, 4), CultureInfo.InvariantCulture);
        var week = int.Parse(isoWeek.AsSpan(6, 2), CultureInfo.InvariantCulture);
        var monday = DateOnly.FromDateTime(ISOWeek.ToDateTime(year, week, DayOfWeek.Monday));
        return string.Create(CultureInfo.InvariantCulture, $"第{week}周（{ShortDate(monday)}–{ShortDate(monday.AddDays(6))}）");
    }

    public static string Of(PlanStatus status) => status switch
    {
        PlanStatus.Draft => "草稿",
        PlanStatus.Submitted => "待审批",
        PlanStatus.Approved => "已批准",
        PlanStatus.Rejected => "已退回",
        PlanStatus.Active => "执行中",
        PlanStatus.Closed => "已关闭",
        _ => status.ToString(),
    };

    public static string Of(TeachingMode mode) => mode switch
    {
        TeachingMode.Home => "送教上门",
        TeachingMode.Remote => "远程送教",
        TeachingMode.Mixed => "上门与远程结合",
        _ => mode.ToString(),
    };

    /// <summary>A session's mode as stored ("home" / "remote").</summary>
    public static string SessionMode(string mode) => mode == "remote" ? "远程" : "上门";

    public static string Of(DisabilityCategory category) => category switch
    {
        DisabilityCategory.Visual => "视力残疾",
        DisabilityCategory.Hearing => "听力残疾",
        DisabilityCategory.Speech => "言语残疾",
        DisabilityCategory.Physical => "肢体残疾",
        DisabilityCategory.Intellectual => "智力残疾",
        DisabilityCategory.Mental => "精神残疾",
        DisabilityCategory.Multiple => "多重残疾",
        _ => category.ToString(),
    };

    public static string Grade(int grade) => grade switch
    {
        1 => "一级",
        2 => "二级",
        3 => "三级",
        4 => "四级",
        _ => grade.ToString(CultureInfo.InvariantCulture),
    };

    public static string Of(Department department) => department switch
    {
        Department.Education => "教育",
        Department.Health => "卫健",
        Department.DisabledPersonsFederation => "残联",
        Department.CivilAffairs => "民政",
        _ => department.ToString(),
    };

    public static string Of(AssessmentConclusion conclusion) => conclusion switch
    {
        AssessmentConclusion.HomeTeaching => "送教上门",
        AssessmentConclusion.RemoteTeaching => "远程送教",
        AssessmentConclusion.RegularClass => "随班就读",
        AssessmentConclusion.SpecialSchool => "特教学校",
        AssessmentConclusion.Deferred => "延缓入学",
        _ => conclusion.ToString(),
    };

    public static string Of(StudentStatus status) => status == StudentStatus.Enrolled ? "在册" : "已离册";

    public static string Of(RunStatus status) => status switch
    {
        RunStatus.Queued => "排队中",
        RunStatus.Running => "正在排课",
        RunStatus.Succeeded => "已完成",
        RunStatus.Failed => "失败",
        RunStatus.Cancelled => "已取消",
        _ => status.ToString(),
    };

    public static string Of(TimetableStatus status) => status switch
    {
        TimetableStatus.Draft => "待发布",
        TimetableStatus.Published => "已发布",
        TimetableStatus.Superseded => "已被替代",
        _ => status.ToString(),
    };

    public static string Of(SessionStatus status) => status switch
    {
        SessionStatus.Scheduled => "待送教",
        SessionStatus.Delivered => "已送教",
        SessionStatus.Missed => "缺课",
        SessionStatus.Cancelled => "已取消",
        _ => status.ToString(),
    };

    /// <summary>
    /// What a session came to, in the words every page and export shares: 待送教, 已送教, 已取消, and a miss
    /// with its reason — 缺课（孩子住院）, 缺课（逾期无送教记录）.
    /// </summary>
    public static string SessionOutcome(SessionStatus status, string? missedReason) => status switch
    {
        SessionStatus.Missed => string.IsNullOrWhiteSpace(missedReason) ? "缺课" : $"缺课（{missedReason}）",
        _ => Of(status),
    };

    public static string Of(CoverageStatus status) => status switch
    {
        CoverageStatus.Exempt => "免（无教学日）",
        CoverageStatus.Met => "已达标",
        CoverageStatus.AtRisk => "已排待送",
        CoverageStatus.Missed => "缺课",
        CoverageStatus.NotInPlan => "未纳入方案",
        CoverageStatus.Upcoming => "待送教",
        CoverageStatus.Unscheduled => "未排课",
        _ => status.ToString(),
    };

    public static string Of(VisitPlace place) => place switch
    {
        VisitPlace.Home => "学生家中",
        VisitPlace.VillageCommittee => "村委会 / 活动室",
        VisitPlace.Online => "线上",
        _ => place.ToString(),
    };

    public static string Skill(string skill) => skill switch
    {
        "special-education" => "特殊教育",
        "rehabilitation" => "康复训练",
        "medical" => "医疗",
        "speech-therapy" => "言语治疗",
        "psychology" => "心理辅导",
        "sign-language" => "手语",
        "braille" => "盲文",
        _ => skill,
    };

    public static string VisitFlag(string flag) => flag switch
    {
        "late" => "补录过晚",
        "impossible_travel" => "路程不可能",
        "no_content" => "无授课内容",
        "short" => "时长过短",
        "during_leave" => "请假期间",
        "rescheduled" => "已改期",
        "damaged" => "记录数据异常",
        "far_from_home" => "签到位置离家较远",
        "no_evidence" => "缺少送教凭证",
        _ => flag,
    };

    /// <summary>Why a child is not in the timetable, in words an approver can act on; the solver's own text stays beside it.</summary>
    public static string Reason(string code) => code switch
    {
        ReasonCodes.NoQualifiedTeacher => "没有具备所需专业的教师或团队能承担这名孩子的课。",
        ReasonCodes.NoQualifiedTeacherInReach => "有合格的教师，但路程太远，无法在可用时间内往返。",
        ReasonCodes.NoOverlappingWindow => "孩子可以上课的时间与合格教师的空闲时间没有重叠。",
        ReasonCodes.TeacherCapacityExhausted => "合格教师本周课时已满：排上这名孩子就会挤掉另一名孩子。",
        ReasonCodes.TooFewDistinctDays => "方案要求的每周次数多于能安排的不同日子。",
        ReasonCodes.RemoteNotPossible => "没有能上远程课的合格教师。",
        ReasonCodes.TimeLimitReached => "排课时间用完仍未排上，尚不能证明排不上；可以重新排课。",
        _ => "未能排课（" + code + "）。",
    };
}
