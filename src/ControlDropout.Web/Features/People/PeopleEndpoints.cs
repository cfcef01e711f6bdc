using System.Globalization;
using System.Security.Claims;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Plans;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.People;

/// <summary>The county's places, schools, staff and children, each scoped to the caller.</summary>
public static class PeopleEndpoints
{
    public static IEndpointRouteBuilder MapPeople(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/townships", Townships).WithTags("Places");
        app.MapGet("/api/schools", Schools).WithTags("Schools");
        var staff = app.MapGroup("/api/staff").WithTags("Staff");
        staff.MapGet("/", ListStaff);
        staff.MapPost("/", CreateStaff).RequireAuthorization(Policies.EditPlans);
        var students = app.MapGroup("/api/students").WithTags("Students");
        students.MapGet("/", ListStudents);
        students.MapGet("/{id:guid}", GetStudent);
        students.MapPost("/", CreateStudent).RequireAuthorization(Policies.EditPlans);
        students.MapPost("/{id:guid}/assessments", AddAssessment).RequireAuthorization(Policies.RecordDisruptions);
        return app;
    }

    public static async Task<Ok<List<TownshipDto>>> Townships(ClaimsPrincipal user, AppDbContext db, CancellationToken ct)
    {
        var county = Caller.From(user).CountyCode;
        var towns = await db.Townships.AsNoTracking().Where(t => t.CountyCode == county).OrderBy(t => t.Code).ToListAsync(ct).ConfigureAwait(false);
        return TypedResults.Ok(towns.Select(t => new TownshipDto(t.Code, t.Name, t.Lat, t.Lon)).ToList());
    }

    public static async Task<Ok<List<SchoolDto>>> Schools(ClaimsPrincipal user, AppDbContext db, CancellationToken ct)
    {
        var county = Caller.From(user).CountyCode;
        var schools = await db.Schools.AsNoTracking().Where(s => s.CountyCode == county).OrderBy(s => s.Name).ToListAsync(ct).ConfigureAwait(false);
        return TypedResults.Ok(schools.Select(s => new SchoolDto(s.Id.Value, s.Name, s.Kind, s.TownshipCode)).ToList());
    }

    public static async Task<Ok<List<StaffDto>>> ListStaff(ClaimsPrincipal user, AppDbContext db, CancellationToken ct)
    {
        var county = Caller.From(user).CountyCode;
        var staff = await db.Staff.AsNoTracking().Where(s => s.CountyCode == county).ToListAsync(ct).ConfigureAwait(false);
        return TypedResults.Ok(staff.OrderBy(s => s.Name, StringComparer.Ordinal).Select(ToDto).ToList());
    }

    public static async Task<Results<Created<StaffDto>, ValidationProblem, NotFound>> CreateStaff(StaffRequest request, ClaimsPrincipal user, AppDbContext db, CancellationToken ct)
    {
        var caller = Caller.From(user);
        if (request.SchoolId is { } school && !await db.Schools.AnyAsync(s => s.Id == new SchoolId(school) && s.CountyCode == caller.CountyCode, ct).ConfigureAwait(false))
        {
            return TypedResults.NotFound();
        }
        if (caller.Role == Roles.Coordinator && request.SchoolId != caller.SchoolId?.Value)
        {
            return TypedResults.NotFound();
        }
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            errors["name"] = ["请填写姓名"];
        }
        if ((request.Skills ?? []).Count == 0)
        {
            errors["skills"] = ["至少填写一项专长（如 special-education、rehabilitation）"];
        }
        if (request.BaseLat is < -90 or > 90 || request.BaseLon is < -180 or > 180)
        {
            errors["baseLat"] = ["工作地点坐标不正确"];
        }
        if (request.MaxSessionsPerWeek is < 0 or > 40)
        {
            errors["maxSessionsPerWeek"] = ["每周课次上限须在 0 到 40 之间"];
        }
        if (request.MaxAwayMinutesPerDay is < 60 or > 1440)
        {
            errors["maxAwayMinutesPerDay"] = ["每日外出时长上限须在 60 到 1440 分钟之间"];
        }
        var windows = Windows(request.Availability, "availability", errors);
        foreach (var day in windows.GroupBy(w => w.Day).Where(g => g.Count() > 1))
        {
            errors[$"availability.day{day.Key}"] = [$"星期{day.Key}只能填写一个时段"];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var staff = new Staff
        {
            Id = StaffId.New(), CountyCode = caller.CountyCode, SchoolId = request.SchoolId is { } s ? new SchoolId(s) : null, Department = request.Department,
            Name = request.Name.Trim(), Skills = [.. request.Skills!.Select(k => k.Trim())], BaseName = request.BaseName?.Trim() ?? "", BaseLat = request.BaseLat, BaseLon = request.BaseLon,
            Availability = windows, MaxSessionsPerWeek = request.MaxSessionsPerWeek, MaxAwayMinutesPerDay = request.MaxAwayMinutesPerDay, CanTeachRemotely = request.CanTeachRemotely,
        };
        db.Staff.Add(staff);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return TypedResults.Created($"/api/staff/{staff.Id}", ToDto(staff));
    }

    /// <summary>Children the caller may see: their school's for a coordinator, those they teach for a teacher, the county's otherwise.</summary>
    private static async Task<IQueryable<Student>> VisibleAsync(Caller caller, AppDbContext db, CancellationToken ct)
    {
        var students = db.Students.Include(s => s.Assessments).Where(s => s.CountyCode == caller.CountyCode);
        switch (caller.Role)
        {
            case Roles.Coordinator:
                return students.Where(s => caller.SchoolId != null && s.SchoolOfRecordId == caller.SchoolId);
            case Roles.Teacher:
                var me = caller.StaffId?.Value ?? Guid.Empty;
                var published = db.Timetables.Where(t => t.CountyCode == caller.CountyCode && t.Status == Domain.TimetableStatus.Published).Select(t => t.Id);
                var taught = await db.Sessions.Where(s => published.Contains(s.TimetableId)).Select(s => new { s.StudentId, s.StaffIds }).ToListAsync(ct).ConfigureAwait(false);
                var mine = taught.Where(s => s.StaffIds.Contains(me)).Select(s => s.StudentId).Distinct().ToList();
                return students.Where(s => mine.Contains(s.Id));
            default:
                return students;
        }
    }

    public static async Task<Ok<List<StudentDto>>> ListStudents(ClaimsPrincipal user, AppDbContext db, CancellationToken ct)
    {
        var visible = await VisibleAsync(Caller.From(user), db, ct).ConfigureAwait(false);
        var students = await visible.AsNoTracking().ToListAsync(ct).ConfigureAwait(false);
        return TypedResults.Ok(students.OrderBy(s => s.VillageCode, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal).Select(ToDto).ToList());
    }

    /// <summary>A child; with <c>unmask=true</c> (approvers and admins only) the numbers and phones in full, and the read audited.</summary>
    public static async Task<Results<Ok<StudentDto>, NotFound, ProblemHttpResult>> GetStudent(Guid id, bool? unmask, ClaimsPrincipal user, AppDbContext db, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var visible = await VisibleAsync(caller, db, ct).ConfigureAwait(false);
        var student = await visible.AsNoTracking().SingleOrDefaultAsync(s => s.Id == new Domain.StudentId(id), ct).ConfigureAwait(false);
        if (student is null)
        {
            return TypedResults.NotFound();
        }
        if (unmask != true)
        {
            return TypedResults.Ok(ToDto(student));
        }
        if (caller.Role is not (Roles.Approver or Roles.Admin))
        {
            return Problems.Forbidden("unmask_not_allowed", "只有审批人或管理员可以查看未遮蔽的证件号和电话");
        }
        await db.RecordReadAsync("read-unmasked", "Student", student.Id.ToString(), "certificate, registration number and guardian phones shown", ct).ConfigureAwait(false);
        return TypedResults.Ok(ToDto(student) with
        {
            DisabilityCertificateNo = student.DisabilityCertificateNo,
            NationalStudentNo = student.NationalStudentNo,
            Guardians = [.. student.Guardians.Select(g => new GuardianDto(g.Name, g.Relation, g.Phone))],
        });
    }

    public static async Task<Results<Created<StudentDto>, ValidationProblem, NotFound>> CreateStudent(StudentRequest request, ClaimsPrincipal user, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        if (!await db.Schools.AnyAsync(s => s.Id == new SchoolId(request.SchoolOfRecordId) && s.CountyCode == caller.CountyCode, ct).ConfigureAwait(false)
            || (caller.Role == Roles.Coordinator && request.SchoolOfRecordId != caller.SchoolId?.Value))
        {
            return TypedResults.NotFound();
        }
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            errors["name"] = ["请填写姓名"];
        }
        if (request.Gender is not ("男" or "女"))
        {
            errors["gender"] = ["性别须为“男”或“女”"];
        }
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (request.BirthDate > today || request.BirthDate < today.AddYears(-25))
        {
            errors["birthDate"] = ["出生日期不合理"];
        }
        if (request.DisabilityGrade is < 1 or > 4)
        {
            errors["disabilityGrade"] = ["残疾等级须为 1 到 4 级"];
        }
        if (request.VillageCode is not { Length: 12 } || !request.VillageCode.StartsWith(caller.CountyCode, StringComparison.Ordinal) || !request.VillageCode.All(char.IsAsciiDigit))
        {
            errors["villageCode"] = ["村/社区代码须为本县的 12 位统计用区划代码"];
        }
        if (request.HomeLat is < -90 or > 90 || request.HomeLon is < -180 or > 180)
        {
            errors["homeLat"] = ["家庭住址坐标不正确"];
        }
        var guardians = request.Guardians ?? [];
        for (var i = 0; i < guardians.Count; i++)
        {
            if (guardians[i].Phone is not { Length: 11 } phone || !phone.All(char.IsAsciiDigit))
            {
                errors[$"guardians[{i}].phone"] = ["手机号须为 11 位数字"];
            }
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var student = new Student
        {
            Id = Domain.StudentId.New(), CountyCode = caller.CountyCode, SchoolOfRecordId = new SchoolId(request.SchoolOfRecordId), Name = request.Name.Trim(), Gender = request.Gender,
            Ethnicity = request.Ethnicity?.Trim() ?? "", BirthDate = request.BirthDate, DisabilityCategory = request.DisabilityCategory, DisabilityGrade = request.DisabilityGrade,
            DisabilityCertificateNo = request.DisabilityCertificateNo?.Trim() ?? "", NationalStudentNo = request.NationalStudentNo?.Trim() ?? "",
            VillageCode = request.VillageCode, HomeLat = request.HomeLat, HomeLon = request.HomeLon,
            Guardians = [.. guardians.Select(g => new Guardian { Name = g.Name.Trim(), Relation = g.Relation.Trim(), Phone = g.Phone })],
        };
        db.Students.Add(student);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return TypedResults.Created($"/api/students/{student.Id}", ToDto(student));
    }

    public static async Task<Results<Created<StudentDto>, NotFound, ValidationProblem>> AddAssessment(Guid id, AssessmentRequest request, ClaimsPrincipal user, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var visible = await VisibleAsync(Caller.From(user), db, ct).ConfigureAwait(false);
        var student = await visible.SingleOrDefaultAsync(s => s.Id == new Domain.StudentId(id), ct).ConfigureAwait(false);
        if (student is null)
        {
            return TypedResults.NotFound();
        }
        if (request.Date > DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["date"] = ["评估日期不能晚于今天"] });
        }
        student.Assessments.Add(new Assessment { StudentId = student.Id, Date = request.Date, Conclusion = request.Conclusion });
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return TypedResults.Created($"/api/students/{id}", ToDto(student));
    }

    private static List<WeeklyWindow> Windows(IReadOnlyList<WindowDto>? windows, string field, Dictionary<string, string[]> errors)
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
                errors[$"{field}[{i}]"] = ["时段须为星期 1–7、HH:mm 格式，且开始早于结束"];
                continue;
            }
            result.Add(new WeeklyWindow { Day = w.Day, From = from, To = to });
        }
        return result;
    }

    private static StaffDto ToDto(Staff s) => new(s.Id.Value, s.Name, s.Department, s.SchoolId?.Value, s.Skills, s.BaseName, s.BaseLat, s.BaseLon,
        [.. s.Availability.OrderBy(w => w.Day).Select(w => new WindowDto(w.Day, w.From.ToString("HH:mm", CultureInfo.InvariantCulture), w.To.ToString("HH:mm", CultureInfo.InvariantCulture)))],
        s.MaxSessionsPerWeek, s.MaxAwayMinutesPerDay, s.CanTeachRemotely);

    private static StudentDto ToDto(Student s) => new(s.Id.Value, s.Name, s.Gender, s.Ethnicity, s.BirthDate, s.DisabilityCategory, s.DisabilityGrade,
        Masking.Identifier(s.DisabilityCertificateNo), Masking.Identifier(s.NationalStudentNo), s.SchoolOfRecordId.Value, s.VillageCode,
        [.. s.Guardians.Select(g => new GuardianDto(g.Name, g.Relation, Masking.Phone(g.Phone)))], s.Status,
        [.. s.Assessments.OrderBy(a => a.Date).Select(a => new AssessmentDto(a.Date, a.Conclusion))]);
}
