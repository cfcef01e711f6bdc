using System.Globalization;
using ControlDropout.Web.Infrastructure;
using FluentValidation;

namespace ControlDropout.Web.Features.Visits;

/// <summary>
/// A visit record (and a correction of one) as a request: lengths, no control characters, no empty
/// items, a sane date, times that read as <c>HH:mm</c> with the end after the start (so the visit lies
/// inside one day). What depends on the session — its date, its team — is checked by the use case.
/// </summary>
public sealed class VisitRequestValidator : AbstractValidator<VisitRequest>
{
    public static readonly VisitRequestValidator Instance = new();

    /// <summary>Session keys are <c>{student}:{mode}:{n}:{week}</c>, well under this.</summary>
    public const int SessionKeyLength = 200;

    public VisitRequestValidator()
    {
        RuleFor(r => r.SessionKey).Must(k => !string.IsNullOrWhiteSpace(k)).WithMessage("请指明课次").ShortText("课次", SessionKeyLength);
        RuleFor(r => r.Date).Sane("日期");
        RuleFor(r => r.Start).Must(t => Time(t) is not null).WithMessage("开始时间请用 HH:mm");
        RuleFor(r => r.End).Must(t => Time(t) is not null).WithMessage("结束时间请用 HH:mm");
        RuleFor(r => r.End).Must((r, end) => Time(r.Start) is not { } start || Time(end) is not { } stop || stop > start)
            .WithMessage("结束时间须晚于开始时间（同一天内）");
        RuleFor(r => r.StaffPresent).Items("到场人员");
        RuleFor(r => r.StaffPresent).Must(s => s is { Count: > 0 }).When(r => !r.Missed).WithMessage("请选择到场人员");
        RuleFor(r => r.Place).Defined("地点");
        RuleFor(r => r.Content).FreeText("授课内容");
        RuleFor(r => r.GoalsAddressed).Items("教育目标");
        RuleForEach(r => r.GoalsAddressed).FreeText("教育目标");
        RuleFor(r => r.ChildResponse).FreeText("学生反应");
        RuleFor(r => r.GuardianFeedback).FreeText("家长反馈");
        RuleFor(r => r.GuardianName).ShortText("家长签名", Validation.NameLength);
        RuleFor(r => r.HomeTask).FreeText("家庭作业");
        RuleFor(r => r.MissedReason).FreeText("未送教原因");
        RuleFor(r => r.MissedReason).Must(m => !string.IsNullOrWhiteSpace(m)).When(r => r.Missed).WithMessage("未送教须填写原因");
        RuleFor(r => r.MakeUpDate).Sane("补课日期");
        RuleFor(r => r.CorrectionReason).FreeText("更正原因");
        RuleFor(r => r.RescheduleReason).FreeText("改期原因");
        // Evidence (issue 14 §1): the shape here; the code's match, the check-in's time and the photos' session in the use case.
        RuleFor(r => r.Confirmation).Defined("家长确认方式");
        RuleFor(r => r.SignatureStrokes).Must(s => Signatures.Problem(s) is null)
            .When(r => r.Confirmation == Domain.GuardianConfirmation.Signature || r.SignatureStrokes is { Count: > 0 })
            .WithMessage(r => Signatures.Problem(r.SignatureStrokes) ?? "");
        RuleFor(r => r.ConfirmationCode).Must(c => c is { Length: ConfirmationCodes.Digits } && c.All(char.IsAsciiDigit))
            .When(r => r.Confirmation == Domain.GuardianConfirmation.Code).WithMessage($"请输入 {ConfirmationCodes.Digits} 位确认码");
        RuleFor(r => r.CheckInLat).InclusiveBetween(-90, 90).WithMessage("签到纬度须在 -90 到 90 之间");
        RuleFor(r => r.CheckInLon).InclusiveBetween(-180, 180).WithMessage("签到经度须在 -180 到 180 之间");
        RuleFor(r => r.CheckInLat).Must((r, lat) => lat.HasValue == r.CheckInLon.HasValue).WithMessage("签到位置须同时有纬度和经度");
        RuleFor(r => r.CheckInAccuracyMeters).InclusiveBetween(0, MaxAccuracyMeters).WithMessage($"定位精度须在 0 到 {MaxAccuracyMeters} 米之间");
        RuleFor(r => r.CheckInAt).NotNull().When(r => r.CheckInLat.HasValue || r.CheckInLon.HasValue).WithMessage("有签到位置时须有签到时间");
        RuleFor(r => r.PhotoIds).Must(p => p is null || p.Count <= VisitPhotos.MaxPerRecord).WithMessage($"每条记录最多 {VisitPhotos.MaxPerRecord} 张照片");
        RuleForEach(r => r.PhotoIds).Must(id => id != Guid.Empty).WithMessage("照片编号无效");
    }

    /// <summary>A phone's stated accuracy beyond this (100 km) says nothing about where it was.</summary>
    public const int MaxAccuracyMeters = 100_000;

    /// <summary>A time of day as the form and the API write it, or null.</summary>
    public static TimeOnly? Time(string? text) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : null;
}
