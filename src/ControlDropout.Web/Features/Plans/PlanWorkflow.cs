using System.Globalization;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Calendar;
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

    /// <summary>A wall-clock time as plans and availability write it: exactly HH:mm.</summary>
    public static void Apply(PlanVersion version, PlanContent content)
    {
        version.CoursePlan = content.CoursePlan ?? "";
        version.Content = content.Content ?? "";
        version.Goals = [.. content.Goals ?? []];
        version.Mode = content.Mode;
        version.HomeVisitsPerWeek = content.HomeVisitsPerWeek;
        version.RemoteSessionsPerWeek = content.RemoteSessionsPerWeek;
        version.LessonsPerVisit = content.LessonsPerVisit;
        version.Windows = [.. (content.Windows ?? []).Select(w => w.ToDomain())];
        version.RequiredSkills = [.. content.RequiredSkills ?? []];
        version.TeamSize = content.TeamSize;
        version.PreferredStaffIds = [.. content.PreferredStaffIds ?? []];
        version.StartDate = content.StartDate;
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

    /// <summary>
    /// The day a plan approved on <paramref name="today"/> takes effect: the first teaching day of the term's
    /// calendar on or after the later of today and the plan's 开始日期; null when the term has none left.
    /// </summary>
    public static DateOnly? FirstTeachingDay(IEnumerable<CalendarWeek> weeks, DateOnly today, DateOnly? startDate)
    {
        var from = startDate is { } start && start > today ? start : today;
        return TermCalendar.FirstTeachingDay(weeks, from);
    }

    public static int AgeOn(DateOnly birth, DateOnly day)
    {
        var age = day.Year - birth.Year;
        return birth.AddYears(age) > day ? age - 1 : age;
    }
}
