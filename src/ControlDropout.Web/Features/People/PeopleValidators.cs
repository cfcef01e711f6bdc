using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Plans;
using ControlDropout.Web.Infrastructure;
using FluentValidation;

namespace ControlDropout.Web.Features.People;

/// <summary>
/// A child's registration, checked whole before anything is read or stored. The village must be the
/// caller's county's and the birth date a child's as of today, so the validator is made per request.
/// </summary>
[SharedRule]
public sealed class StudentRequestValidator : AbstractValidator<StudentRequest>
{
    /// <summary>Children on the roll are of school age; a birth date older than this is a typing error.</summary>
    public const int OldestAgeYears = 25;

    public StudentRequestValidator(string countyCode, DateOnly today)
    {
        RuleFor(s => s.Name).Name("姓名");
        RuleFor(s => s.Gender).Must(g => g is "男" or "女").WithMessage("性别须为“男”或“女”");
        RuleFor(s => s.Ethnicity).ShortText("民族", Validation.NameLength);
        RuleFor(s => s.BirthDate).Cascade(CascadeMode.Stop).Sane("出生日期")
            .Must(d => d <= today && d >= today.AddYears(-OldestAgeYears)).WithMessage("出生日期不合理");
        RuleFor(s => s.DisabilityCategory).Defined("残疾类别");
        RuleFor(s => s.DisabilityGrade).InclusiveBetween(1, 4).WithMessage("残疾等级须为 1 到 4 级");
        RuleFor(s => s.DisabilityCertificateNo).ShortText("残疾人证号", 30);
        RuleFor(s => s.NationalStudentNo).ShortText("全国学籍号", 30);
        RuleFor(s => s.IdCardNo).Custom((value, context) =>
        {
            var request = context.InstanceToValidate;
            if (string.IsNullOrWhiteSpace(value))
            {
                if (string.IsNullOrWhiteSpace(request.NationalStudentNo))
                {
                    context.AddFailure("idCardNo", "身份证号和全国学籍号至少填写一项");
                }
                return;
            }
            if (IdentityNumbers.Read(value, out var problem) is not { } card)
            {
                context.AddFailure("idCardNo", problem!);
                return;
            }
            if (card.BirthDate != request.BirthDate)
            {
                context.AddFailure("birthDate", $"出生日期与身份证号中的出生日期（{card.BirthDate:yyyy-MM-dd}）不一致");
            }
            if (request.Gender is "男" or "女" && card.Gender != request.Gender)
            {
                context.AddFailure("gender", $"性别与身份证号不一致（身份证号为{card.Gender}性）");
            }
        });
        RuleFor(s => s.DisabilityRegisteredOn).Must((s, d) => d is null || (d.Value.Year >= 1900 && d.Value <= today && d.Value >= s.BirthDate))
            .WithMessage("残疾人证发证日期须在出生日期之后，且不晚于今天");
        RuleFor(s => s.SchoolOfRecordId).NotEmpty().WithMessage("请选择学籍学校");
        RuleFor(s => s.VillageCode)
            .Must(v => v is { Length: 12 } && v.StartsWith(countyCode, StringComparison.Ordinal) && v.All(char.IsAsciiDigit))
            .WithMessage("村/社区代码须为本县的 12 位统计用区划代码");
        RuleFor(s => s.HomeLat).Must((s, _) => Coordinates.Valid(s.HomeLat, s.HomeLon)).WithMessage("家庭住址坐标不正确");
        RuleFor(s => s.Guardians).Items("监护人");
        RuleForEach(s => s.Guardians).ChildRules(guardian =>
        {
            guardian.RuleFor(g => g.Name).Name("监护人姓名");
            guardian.RuleFor(g => g.Relation).Name("与学生关系");
            guardian.RuleFor(g => g.Phone).Must(Phones.Valid).WithMessage(Phones.Message);
        });
    }
}

/// <summary>A 残联 registration on its own: the same rules as on the child's whole record.</summary>
public sealed class RegistrationRequestValidator : AbstractValidator<RegistrationRequest>
{
    public RegistrationRequestValidator(DateOnly birthDate, DateOnly today)
    {
        RuleFor(r => r.CertificateNo).Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage("请填写残疾人证号").ShortText("残疾人证号", 30);
        RuleFor(r => r.Category).Defined("残疾类别");
        RuleFor(r => r.Grade).InclusiveBetween(1, 4).WithMessage("残疾等级须为 1 到 4 级");
        RuleFor(r => r.RegisteredOn).Cascade(CascadeMode.Stop).Sane("发证日期")
            .Must(d => d <= today && d >= birthDate).WithMessage("残疾人证发证日期须在出生日期之后，且不晚于今天");
    }
}

/// <summary>A mainland mobile number: 11 digits starting with 1.</summary>
public static class Phones
{
    public const string Message = "手机号须为 11 位数字";

    public static bool Valid(string? phone) => phone is { Length: 11 } && phone[0] == '1' && phone.All(char.IsAsciiDigit);
}

/// <summary>A staff member's registration: department, skills and weekly availability, each checked.</summary>
[SharedRule]
public sealed class StaffRequestValidator : AbstractValidator<StaffRequest>
{
    public static readonly StaffRequestValidator Instance = new();

    public const int MinTravelCapMinutes = 30;
    public const int MaxTravelCapMinutes = 720;

    public StaffRequestValidator()
    {
        RuleFor(s => s.Name).Name("姓名");
        RuleFor(s => s.Department).Defined("所属部门");
        RuleFor(s => s.Phone).Must(p => string.IsNullOrEmpty(p) || Phones.Valid(p)).WithMessage(Phones.Message);
        RuleFor(s => s.Skills)
            .Must(k => k is { Count: > 0 }).WithMessage("至少填写一项专长（如 special-education、rehabilitation）")
            .Items("专长");
        RuleForEach(s => s.Skills).Name("专长");
        RuleFor(s => s.BaseName).ShortText("工作地点", Validation.NameLength);
        RuleFor(s => s.BaseLat).Must((s, _) => Coordinates.Valid(s.BaseLat, s.BaseLon)).WithMessage("工作地点坐标不正确");
        RuleFor(s => s.MaxSessionsPerWeek).InclusiveBetween(0, 40).WithMessage("每周课次上限须在 0 到 40 之间");
        RuleFor(s => s.MaxAwayMinutesPerDay).Must(m => m is null or (>= 60 and <= 1440)).WithMessage("每日外出时长上限须在 60 到 1440 分钟之间");
        // Below half an hour no home is reachable and back; past twelve hours it caps nothing a working day allows.
        RuleFor(s => s.MaxTravelMinutesPerDay).Must(m => m is null or (>= StaffRequestValidator.MinTravelCapMinutes and <= StaffRequestValidator.MaxTravelCapMinutes))
            .WithMessage($"每日驾车上限须在 {MinTravelCapMinutes} 到 {MaxTravelCapMinutes} 分钟之间");
        RuleFor(s => s.Availability).Items("可用时段");
        RuleForEach(s => s.Availability)
            .Must(w => w is null || (w.Day is >= 1 and <= 7 && WindowDto.TryTime(w.From, out var from) && WindowDto.TryTime(w.To, out var to) && from < to))
            .WithMessage("时段须为星期 1–7、HH:mm 格式，且开始早于结束");
        RuleFor(s => s.Availability).Custom((windows, context) =>
        {
            foreach (var day in (windows ?? []).Where(w => w is not null).GroupBy(w => w.Day).Where(g => g.Count() > 1))
            {
                context.AddFailure($"availability.day{day.Key}", $"星期{day.Key}只能填写一个时段");
            }
        });
    }
}

/// <summary>An expert committee's assessment: a real date, not after today, and one of the conclusions.</summary>
[SharedRule]
public sealed class AssessmentRequestValidator : AbstractValidator<AssessmentRequest>
{
    public AssessmentRequestValidator(DateOnly today)
    {
        RuleFor(a => a.Date).Cascade(CascadeMode.Stop).Sane("评估日期").Must(d => d <= today).WithMessage("评估日期不能晚于今天");
        RuleFor(a => a.Conclusion).Defined("评估结论");
        RuleFor(a => a.DocumentNo).ShortText("文号", 50);
        RuleFor(a => a.Members).Items("评估成员");
        RuleForEach(a => a.Members).Name("评估成员");
        RuleFor(a => a.Note).FreeText("评估意见");
        RuleFor(a => a.LastDayOfTeaching).Must((a, d) => d is null || (d.Value >= a.Date && d.Value <= today.AddYears(1)))
            .WithMessage("送教截止日期须不早于评估日期");
    }
}

/// <summary>Latitude and longitude that exist on the earth.</summary>
public static class Coordinates
{
    public static bool Valid(double lat, double lon) => lat is >= -90 and <= 90 && lon is >= -180 and <= 180;
}
