using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using FluentValidation;

namespace ControlDropout.Web.Features.Plans;

/// <summary>
/// A plan's content under the county's policy (sessions a week, lesson length): the editor's and the
/// API's one check. Field names are the plan's own (<c>windows[0].from</c>); requests nest them under
/// <c>plan</c>, as the API and the plan editor have always named them.
/// </summary>
public sealed class PlanContentValidator : AbstractValidator<PlanContent>
{
    /// <summary>Each goal is one line of the editor's goal list.</summary>
    public const int GoalLength = 500;

    public PlanContentValidator(CountyPolicy policy)
    {
        RuleFor(p => p.CoursePlan).RequiredText("课程计划");
        RuleFor(p => p.Content).RequiredText("授课内容");
        RuleFor(p => p.Goals).Items("教学目标");
        RuleForEach(p => p.Goals)
            .Must(g => !string.IsNullOrWhiteSpace(g)).WithMessage("教学目标不能为空")
            .ShortText("教学目标", GoalLength);
        RuleFor(p => p.Mode).Defined("送教方式");
        RuleFor(p => p.HomeVisitsPerWeek)
            .Must((p, _) => p.HomeVisitsPerWeek >= 0 && p.RemoteSessionsPerWeek >= 0).WithMessage("每周送教次数不能为负数")
            .Must((p, _) => Weekly(p) >= policy.MinSessionsPerTeachingWeek).WithMessage($"每周送教（含远程）不少于 {policy.MinSessionsPerTeachingWeek} 次")
            .Must((p, _) => Weekly(p) <= 7).WithMessage("每周送教次数不能超过 7 次（每天至多一次）")
            .Must((p, _) => !(p.Mode == TeachingMode.Remote && p.HomeVisitsPerWeek > 0)).WithMessage("远程送教方案不能安排上门课次；请选择“结合”方式");
        RuleFor(p => p.RemoteSessionsPerWeek)
            .Must((p, remote) => !(p.Mode == TeachingMode.Home && remote > 0)).WithMessage("送教上门方案不能安排远程课次；请选择“结合”方式");
        RuleFor(p => p.LessonsPerVisit).InclusiveBetween(1, 8).WithMessage("每次课时数须在 1 到 8 之间");
        RuleFor(p => p.TeamSize).InclusiveBetween(1, 5).WithMessage("送教团队人数须在 1 到 5 之间");
        RuleFor(p => p.Windows)
            .Must(w => w is { Count: > 0 }).WithMessage("至少填写一个可送教时段")
            .Items("可送教时段");
        RuleForEach(p => p.Windows).ChildRules(window =>
        {
            window.RuleFor(w => w.Day).InclusiveBetween(1, 7).WithMessage("星期须为 1（周一）到 7（周日）");
            window.RuleFor(w => w.From).Must(t => WindowDto.TryTime(t, out _)).WithMessage(w => $"“{Shown(w.From)}”不是有效时间，请用 HH:mm")
                .Must((w, _) => !Times(w, out var from, out var to) || from < to).WithMessage(w => $"开始时间 {w.From} 须早于结束时间 {w.To}");
            window.RuleFor(w => w.To).Must(t => WindowDto.TryTime(t, out _)).WithMessage(w => $"“{Shown(w.To)}”不是有效时间，请用 HH:mm");
        });
        RuleForEach(p => p.Windows)
            .Must((p, w) => w is null || p.LessonsPerVisit is < 1 or > 8 || !Times(w, out var from, out var to) || from >= to
                || (to - from).TotalMinutes >= p.LessonsPerVisit * policy.LessonMinutes)
            .WithMessage((p, w) => $"时段 {w.From}–{w.To} 短于一次课（{p.LessonsPerVisit} 课时 × {policy.LessonMinutes} 分钟）");
        RuleFor(p => p.RequiredSkills).Items("所需专长");
        RuleForEach(p => p.RequiredSkills).Name("所需专长");
        RuleFor(p => p.PreferredStaffIds).Items("指定送教人员");
        // Within the plan's term is the use case's check: the content alone does not know its term.
        RuleFor(p => p.StartDate).Sane("开始日期");
        RuleFor(p => p.MeetingLink).Must(l => MeetingLinks.Problem(l) is null).WithMessage(p => MeetingLinks.Problem(p.MeetingLink) ?? "");
    }

    /// <summary>Sessions a week, home and remote; in long so that two huge numbers cannot wrap round to a small one.</summary>
    private static long Weekly(PlanContent p) => (long)p.HomeVisitsPerWeek + p.RemoteSessionsPerWeek;

    private static bool Times(WindowDto w, out TimeOnly from, out TimeOnly to)
    {
        to = default;
        return WindowDto.TryTime(w.From, out from) & WindowDto.TryTime(w.To, out to);
    }

    /// <summary>A bad time as the message repeats it: short and printable, never the whole of what was sent.</summary>
    private static string Shown(string? text) =>
        text is null ? "" : Validation.Printable(text.Length > 10 ? text[..10] + "…" : text);
}

/// <summary>A new plan: the child, the term and the content, which is required.</summary>
public sealed class CreatePlanRequestValidator : AbstractValidator<CreatePlanRequest>
{
    public CreatePlanRequestValidator(CountyPolicy policy)
    {
        RuleFor(r => r.StudentId).NotEmpty().WithMessage("请选择学生");
        RuleFor(r => r.TermId).NotEmpty().WithMessage("请选择学期");
        RuleFor(r => r.Plan).NotNull().WithMessage("请填写方案内容").SetValidator(new PlanContentValidator(policy));
    }
}

/// <summary>An approver's opinion: optional, but text a person wrote, not a file; the 审批文号 one short line.</summary>
public sealed class DecisionRequestValidator : AbstractValidator<DecisionRequest>
{
    public const int ApprovalNoLength = 50;

    public static readonly DecisionRequestValidator Instance = new();

    public DecisionRequestValidator()
    {
        RuleFor(r => r.Opinion).FreeText("审批意见");
        // ShortText refuses line breaks and every other control character.
        RuleFor(r => r.ApprovalNo).ShortText("审批文号", ApprovalNoLength)
            .Must(v => v is null || v.IndexOfAny(['\u2028', '\u2029']) < 0).WithMessage("审批文号须为一行");
    }
}

/// <summary>The reason an approver records for admitting a child above the policy's 残疾等级.</summary>
public sealed class GradeExceptionRequestValidator : AbstractValidator<GradeExceptionRequest>
{
    public static readonly GradeExceptionRequestValidator Instance = new();

    public GradeExceptionRequestValidator() => RuleFor(r => r.Reason).RequiredText("例外理由");
}
