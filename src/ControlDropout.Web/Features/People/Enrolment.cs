using System.Globalization;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Plans;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.People;

/// <summary>
/// Putting children and staff on the county's roll (登记), and recording the expert committee's
/// assessments (专家委员会评估). A coordinator enrols for their own school only; another school's or
/// county's school or child answers 404, as if absent.
/// </summary>
public sealed class Enrolment(AppDbContext db, CurrentUser me, PeopleDirectory directory, TimeProvider clock)
{
    private DateOnly Today => Conventions.ChinaDay(clock.GetUtcNow());

    public async Task<Result<StaffDto>> CreateStaffAsync(StaffRequest request, CancellationToken ct)
    {
        if (!me.May(Permission.Enrol))
        {
            return Refusal.NotAllowed();
        }
        if (request.SchoolId is { } school && !await db.Schools.AnyAsync(s => s.Id == new SchoolId(school) && s.CountyCode == me.CountyCode, ct).ConfigureAwait(false))
        {
            return Refusal.NotFound();
        }
        // A coordinator's staff belong to their school; staff of no school (the county's health workers) are the bureau's to add.
        if (me.IsCoordinator && (request.SchoolId is not { } own || !me.ActsFor(new SchoolId(own))))
        {
            return Refusal.NotFound();
        }
        var errors = new List<ApiError>();
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            errors.Add(new("name", "请填写姓名"));
        }
        if ((request.Skills ?? []).Count == 0)
        {
            errors.Add(new("skills", "至少填写一项专长（如 special-education、rehabilitation）"));
        }
        if (request.BaseLat is < -90 or > 90 || request.BaseLon is < -180 or > 180)
        {
            errors.Add(new("baseLat", "工作地点坐标不正确"));
        }
        if (request.MaxSessionsPerWeek is < 0 or > 40)
        {
            errors.Add(new("maxSessionsPerWeek", "每周课次上限须在 0 到 40 之间"));
        }
        if (request.MaxAwayMinutesPerDay is < 60 or > 1440)
        {
            errors.Add(new("maxAwayMinutesPerDay", "每日外出时长上限须在 60 到 1440 分钟之间"));
        }
        var windows = Windows(request.Availability, "availability", errors);
        foreach (var day in windows.GroupBy(w => w.Day).Where(g => g.Count() > 1))
        {
            errors.Add(new($"availability.day{day.Key}", $"星期{day.Key}只能填写一个时段"));
        }
        if (errors.Count > 0)
        {
            return Refusal.Invalid(errors);
        }
        var staff = new Staff
        {
            Id = StaffId.New(), CountyCode = me.CountyCode, SchoolId = request.SchoolId is { } s ? new SchoolId(s) : null, Department = request.Department,
            Name = request.Name.Trim(), Skills = [.. request.Skills!.Select(k => k.Trim())], BaseName = request.BaseName?.Trim() ?? "", BaseLat = request.BaseLat, BaseLon = request.BaseLon,
            Availability = windows, MaxSessionsPerWeek = request.MaxSessionsPerWeek, MaxAwayMinutesPerDay = request.MaxAwayMinutesPerDay, CanTeachRemotely = request.CanTeachRemotely,
        };
        db.Staff.Add(staff);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return PeopleDirectory.ToDto(staff);
    }

    public async Task<Result<StudentDto>> CreateStudentAsync(StudentRequest request, CancellationToken ct)
    {
        if (!me.May(Permission.Enrol))
        {
            return Refusal.NotAllowed();
        }
        var school = new SchoolId(request.SchoolOfRecordId);
        if (!await db.Schools.AnyAsync(s => s.Id == school && s.CountyCode == me.CountyCode, ct).ConfigureAwait(false) || !me.ActsFor(school))
        {
            return Refusal.NotFound();
        }
        var errors = new List<ApiError>();
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            errors.Add(new("name", "请填写姓名"));
        }
        if (request.Gender is not ("男" or "女"))
        {
            errors.Add(new("gender", "性别须为“男”或“女”"));
        }
        if (request.BirthDate > Today || request.BirthDate < Today.AddYears(-25))
        {
            errors.Add(new("birthDate", "出生日期不合理"));
        }
        if (request.DisabilityGrade is < 1 or > 4)
        {
            errors.Add(new("disabilityGrade", "残疾等级须为 1 到 4 级"));
        }
        if (request.VillageCode is not { Length: 12 } || !request.VillageCode.StartsWith(me.CountyCode, StringComparison.Ordinal) || !request.VillageCode.All(char.IsAsciiDigit))
        {
            errors.Add(new("villageCode", "村/社区代码须为本县的 12 位统计用区划代码"));
        }
        if (request.HomeLat is < -90 or > 90 || request.HomeLon is < -180 or > 180)
        {
            errors.Add(new("homeLat", "家庭住址坐标不正确"));
        }
        var guardians = request.Guardians ?? [];
        for (var i = 0; i < guardians.Count; i++)
        {
            if (guardians[i].Phone is not { Length: 11 } phone || !phone.All(char.IsAsciiDigit))
            {
                errors.Add(new($"guardians[{i}].phone", "手机号须为 11 位数字"));
            }
        }
        if (errors.Count > 0)
        {
            return Refusal.Invalid(errors);
        }
        var student = new Student
        {
            Id = StudentId.New(), CountyCode = me.CountyCode, SchoolOfRecordId = school, Name = request.Name.Trim(), Gender = request.Gender,
            Ethnicity = request.Ethnicity?.Trim() ?? "", BirthDate = request.BirthDate, DisabilityCategory = request.DisabilityCategory, DisabilityGrade = request.DisabilityGrade,
            DisabilityCertificateNo = request.DisabilityCertificateNo?.Trim() ?? "", NationalStudentNo = request.NationalStudentNo?.Trim() ?? "",
            VillageCode = request.VillageCode, HomeLat = request.HomeLat, HomeLon = request.HomeLon,
            Guardians = [.. guardians.Select(g => new Guardian { Name = g.Name.Trim(), Relation = g.Relation.Trim(), Phone = g.Phone })],
        };
        db.Students.Add(student);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return PeopleDirectory.ToDto(student);
    }

    public async Task<Result<StudentDto>> AddAssessmentAsync(StudentId id, AssessmentRequest request, CancellationToken ct)
    {
        if (!me.May(Permission.RecordAssessments))
        {
            return Refusal.NotAllowed();
        }
        var visible = await directory.VisibleStudentsAsync(ct).ConfigureAwait(false);
        var student = await visible.SingleOrDefaultAsync(s => s.Id == id, ct).ConfigureAwait(false);
        if (student is null)
        {
            return Refusal.NotFound();
        }
        if (request.Date > Today)
        {
            return Refusal.Invalid("date", "评估日期不能晚于今天");
        }
        var assessment = new Assessment { StudentId = student.Id, Date = request.Date, Conclusion = request.Conclusion };
        // Added as new: its key is set on construction, so found through the child's collection it would pass
        // for an existing row and be saved as an update of nothing (a concurrency failure, answered 500).
        db.Assessments.Add(assessment);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return PeopleDirectory.ToDto(student);
    }

    private static List<WeeklyWindow> Windows(IReadOnlyList<WindowDto>? windows, string field, List<ApiError> errors)
    {
        var result = new List<WeeklyWindow>();
        var list = windows ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            var w = list[i];
            var fromOk = TimeOnly.TryParseExact(w.From, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from);
            var toOk = TimeOnly.TryParseExact(w.To, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to);
            if (w.Day is < 1 or > 7 || !fromOk || !toOk || from >= to)
            {
                errors.Add(new($"{field}[{i}]", "时段须为星期 1–7、HH:mm 格式，且开始早于结束"));
                continue;
            }
            result.Add(new WeeklyWindow { Day = w.Day, From = from, To = to });
        }
        return result;
    }
}
