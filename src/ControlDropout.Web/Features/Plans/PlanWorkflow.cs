using System.Globalization;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Plans;

/// <summary>
/// The plan workflow's rules, pure: Draft → Submitted → Approved | Rejected; Approved → Active → Closed.
/// An approved version is never edited: a change opens a new draft version, which needs approval again.
/// Who may apply them, to which plan, is <see cref="PlanDecisions"/>' question.
/// </summary>
public static class PlanWorkflow
{
    public static PlanVersion Current(Plan plan) => plan.Versions.OrderByDescending(v => v.Number).First();

    public static string ETagOf(Plan plan)
    {
        var current = Current(plan);
        return string.Create(CultureInfo.InvariantCulture, $"\"{current.Number}-{current.Revision}\"");
    }

    public static IReadOnlyList<ApiError> Validate(PlanContent content, CountyPolicy policy)
    {
        var errors = new List<ApiError>();
        if (string.IsNullOrWhiteSpace(content.CoursePlan))
        {
            errors.Add(new("plan.coursePlan", "请填写课程计划"));
        }
        if (string.IsNullOrWhiteSpace(content.Content))
        {
            errors.Add(new("plan.content", "请填写授课内容"));
        }
        if (content.HomeVisitsPerWeek < 0 || content.RemoteSessionsPerWeek < 0)
        {
            errors.Add(new("plan.homeVisitsPerWeek", "每周送教次数不能为负数"));
        }
        if (content.HomeVisitsPerWeek + content.RemoteSessionsPerWeek < policy.MinSessionsPerTeachingWeek)
        {
            errors.Add(new("plan.homeVisitsPerWeek", $"每周送教（含远程）不少于 {policy.MinSessionsPerTeachingWeek} 次"));
        }
        if (content.HomeVisitsPerWeek + content.RemoteSessionsPerWeek > 7)
        {
            errors.Add(new("plan.homeVisitsPerWeek", "每周送教次数不能超过 7 次（每天至多一次）"));
        }
        if (content.Mode == TeachingMode.Home && content.RemoteSessionsPerWeek > 0)
        {
            errors.Add(new("plan.remoteSessionsPerWeek", "送教上门方案不能安排远程课次；请选择“结合”方式"));
        }
        if (content.Mode == TeachingMode.Remote && content.HomeVisitsPerWeek > 0)
        {
            errors.Add(new("plan.homeVisitsPerWeek", "远程送教方案不能安排上门课次；请选择“结合”方式"));
        }
        if (content.LessonsPerVisit is < 1 or > 8)
        {
            errors.Add(new("plan.lessonsPerVisit", "每次课时数须在 1 到 8 之间"));
        }
        if (content.TeamSize is < 1 or > 5)
        {
            errors.Add(new("plan.teamSize", "送教团队人数须在 1 到 5 之间"));
        }
        var windows = content.Windows ?? [];
        if (windows.Count == 0)
        {
            errors.Add(new("plan.windows", "至少填写一个可送教时段"));
        }
        for (var i = 0; i < windows.Count; i++)
        {
            var w = windows[i];
            if (w.Day is < 1 or > 7)
            {
                errors.Add(new($"plan.windows[{i}].day", "星期须为 1（周一）到 7（周日）"));
            }
            var fromOk = TryTime(w.From, out var from);
            var toOk = TryTime(w.To, out var to);
            if (!fromOk)
            {
                errors.Add(new($"plan.windows[{i}].from", $"“{w.From}”不是有效时间，请用 HH:mm"));
            }
            if (!toOk)
            {
                errors.Add(new($"plan.windows[{i}].to", $"“{w.To}”不是有效时间，请用 HH:mm"));
            }
            if (fromOk && toOk && from >= to)
            {
                errors.Add(new($"plan.windows[{i}].from", $"开始时间 {w.From} 须早于结束时间 {w.To}"));
            }
            else if (fromOk && toOk && (to - from).TotalMinutes < content.LessonsPerVisit * policy.LessonMinutes)
            {
                errors.Add(new($"plan.windows[{i}]", $"时段 {w.From}–{w.To} 短于一次课（{content.LessonsPerVisit} 课时 × {policy.LessonMinutes} 分钟）"));
            }
        }
        return errors;
    }

    private static bool TryTime(string? text, out TimeOnly time)
    {
        time = default;
        return text is { Length: 5 } && TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }

    public static void Apply(PlanVersion version, PlanContent content)
    {
        version.CoursePlan = content.CoursePlan ?? "";
        version.Content = content.Content ?? "";
        version.Goals = [.. content.Goals ?? []];
        version.Mode = content.Mode;
        version.HomeVisitsPerWeek = content.HomeVisitsPerWeek;
        version.RemoteSessionsPerWeek = content.RemoteSessionsPerWeek;
        version.LessonsPerVisit = content.LessonsPerVisit;
        version.Windows = [.. (content.Windows ?? []).Select(w => new WeeklyWindow
        {
            Day = w.Day,
            From = TimeOnly.ParseExact(w.From, "HH:mm", CultureInfo.InvariantCulture),
            To = TimeOnly.ParseExact(w.To, "HH:mm", CultureInfo.InvariantCulture),
        })];
        version.RequiredSkills = [.. content.RequiredSkills ?? []];
        version.TeamSize = content.TeamSize;
        version.PreferredStaffIds = [.. content.PreferredStaffIds ?? []];
    }

    /// <summary>
    /// Eligibility at submission, each failed condition named: age on the term's first day, 残疾等级
    /// (or an approver's recorded exception), and an expert-committee assessment concluding 送教上门 or 远程送教.
    /// </summary>
    public static IReadOnlyList<ApiError> Eligibility(Student student, Term term, CountyPolicy policy, PlanVersion version)
    {
        var errors = new List<ApiError>();
        var age = AgeOn(student.BirthDate, term.FirstDay);
        if (age < policy.MinAge || age > policy.MaxAge)
        {
            errors.Add(new("age", $"学期第一天（{term.FirstDay:yyyy-MM-dd}）年满 {age} 周岁，不在 {policy.MinAge}–{policy.MaxAge} 周岁之间"));
        }
        if (student.DisabilityGrade > policy.MaxDisabilityGrade && string.IsNullOrWhiteSpace(version.GradeException))
        {
            errors.Add(new("disability_grade", $"残疾等级为 {student.DisabilityGrade} 级，须为 1–{policy.MaxDisabilityGrade} 级，或由审批人登记例外理由"));
        }
        var latest = student.Assessments.OrderByDescending(a => a.Date).FirstOrDefault();
        if (latest is null)
        {
            errors.Add(new("assessment", "没有县级残疾人教育专家委员会的评估记录"));
        }
        else if (latest.Conclusion is not (AssessmentConclusion.HomeTeaching or AssessmentConclusion.RemoteTeaching))
        {
            errors.Add(new("assessment", $"最近一次评估（{latest.Date:yyyy-MM-dd}）的结论不是送教上门或远程送教"));
        }
        return errors;
    }

    public static int AgeOn(DateOnly birth, DateOnly day)
    {
        var age = day.Year - birth.Year;
        return birth.AddYears(age) > day ? age - 1 : age;
    }
}
