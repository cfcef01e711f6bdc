using ControlDropout.Scheduling.Scenarios;
using FluentValidation;

namespace ControlDropout.Web.Features.Policy;

/// <summary>The county's policy as an admin may set it: each number inside what the 送教 notices allow.</summary>
public sealed class PolicyValidator : AbstractValidator<PolicyDto>
{
    public static readonly PolicyValidator Instance = new();

    public const int MaxGraceHours = 14 * 24;
    public const int MaxToleranceMinutes = 60;
    public const int MaxAssessmentValidMonths = 36;
    public const int MinFarFromHomeMeters = 100;
    public const int MaxFarFromHomeMeters = 50_000;

    public PolicyValidator()
    {
        RuleFor(p => p.MinSessionsPerTeachingWeek).InclusiveBetween(1, 7).WithMessage("每个教学周送教次数须在 1 到 7 之间");
        RuleFor(p => p.LessonMinutes).InclusiveBetween(20, 90).WithMessage("每课时须在 20 到 90 分钟之间");
        RuleFor(p => p.MinAge).Must((p, _) => p.MinAge >= 3 && p.MaxAge <= 18 && p.MinAge <= p.MaxAge).WithMessage("适龄范围须在 3 到 18 周岁之间，且下限不大于上限");
        RuleFor(p => p.MaxDisabilityGrade).InclusiveBetween(1, 4).WithMessage("残疾等级上限须为 1 到 4 级");
        // Past two weeks a session with no record is missed under any grace: a longer one would only hide misses.
        RuleFor(p => p.MissedGraceHours).InclusiveBetween(0, MaxGraceHours).WithMessage($"补录宽限须在 0 到 {MaxGraceHours} 小时之间");
        RuleFor(p => p.TravelToleranceMinutes).InclusiveBetween(0, MaxToleranceMinutes).WithMessage($"路程容差须在 0 到 {MaxToleranceMinutes} 分钟之间");
        RuleFor(p => p.AssessmentValidMonths).InclusiveBetween(1, MaxAssessmentValidMonths).WithMessage($"评估有效期须在 1 到 {MaxAssessmentValidMonths} 个月之间");
        RuleFor(p => p.RequiredPhotos).InclusiveBetween(0, Visits.VisitPhotos.MaxPerRecord).WithMessage($"每次须有的照片数须在 0 到 {Visits.VisitPhotos.MaxPerRecord} 张之间");
        // A coarse position is good to about 100 m: a smaller distance would flag honest visits.
        RuleFor(p => p.FarFromHomeMeters).InclusiveBetween(MinFarFromHomeMeters, MaxFarFromHomeMeters)
            .WithMessage($"签到离家距离须在 {MinFarFromHomeMeters} 到 {MaxFarFromHomeMeters} 米之间");
        // The solver's start grids (rule 9): a family is told "09:30", never "09:34".
        RuleFor(p => p.StartTimeStepMinutes).Must(step => SolveOptions.StartTimeSteps.Contains(step))
            .WithMessage($"开始时间间隔须为 {string.Join("、", SolveOptions.StartTimeSteps)} 分钟之一");
        // More than a day of driving would pin every child forever: a re-run could never move anyone.
        RuleFor(p => p.ChangePenaltyMinutes).InclusiveBetween(0, SolveOptions.MaxChangePenaltyMinutes)
            .WithMessage($"调整代价须在 0 到 {SolveOptions.MaxChangePenaltyMinutes} 分钟之间");
    }
}
