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
        version.MeetingLink = MeetingLinks.Normalise(content.MeetingLink);
    }

    /// <summary>
    /// Eligibility (临沧 2020, §三(五)), each failed condition named: the child's age on the plan's start day,
    /// a 残联 registration (残疾人证号 and its date) of a qualifying 残疾等级 (or an approver's recorded
    /// exception), and a county expert committee assessment concluding 送教上门 or 远程送教 that is no older
    /// than the policy allows on the start day. A later assessment concluding otherwise ends the eligibility.
    /// </summary>
    public static IReadOnlyList<ApiError> Eligibility(Student student, CountyPolicy policy, PlanVersion version, DateOnly startDay)
    {
        var errors = new List<ApiError>();
        var age = AgeOn(student.BirthDate, startDay);
        if (age < policy.MinAge || age > policy.MaxAge)
        {
            errors.Add(new("age", $"方案开始日（{startDay:yyyy-MM-dd}）年满 {age} 周岁，不在 {policy.MinAge}–{policy.MaxAge} 周岁之间"));
        }
        if (student.DisabilityRegisteredOn is null || string.IsNullOrWhiteSpace(student.DisabilityCertificateNo))
        {
            errors.Add(new("registration", "没有残联登记（残疾人证号和发证日期），请先登记"));
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
        else if (latest.Date.AddMonths(policy.AssessmentValidMonths) < startDay)
        {
            errors.Add(new("assessment_expired", $"最近一次评估（{latest.Date:yyyy-MM-dd}）距方案开始日已超过 {policy.AssessmentValidMonths} 个月，请重新评估"));
        }
        return errors;
    }

    /// <summary>
    /// The day eligibility is judged on: the plan's 开始日期 when it asks for one, else the day it took effect,
    /// else the later of the term's first day and today (a plan written mid-term starts no earlier than now).
    /// </summary>
    public static DateOnly StartDayOf(Plan plan, PlanVersion version, Term term, DateOnly today) =>
        version.StartDate ?? plan.EffectiveFrom ?? (today > term.FirstDay ? today : term.FirstDay);

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
