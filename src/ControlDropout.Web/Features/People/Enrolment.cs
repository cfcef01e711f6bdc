using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Plans;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.People;

/// <summary>
/// Putting children and staff on the county's roll (登记), keeping their records right, and recording the
/// 残联 registration and the expert committee's assessments (专家委员会评估). A coordinator enrols for their
/// own school only; another school's or county's school or child answers 404, as if absent. The roster
/// import applies the same rules through <see cref="Apply(Student, StudentRequest)"/> and <see cref="Apply(Staff, StaffRequest)"/>.
/// </summary>
public sealed class Enrolment(AppDbContext db, CurrentUser me, PeopleDirectory directory, TimeProvider clock)
{
    private DateOnly Today => Conventions.ChinaDay(clock.GetUtcNow());

    public async Task<Result<StaffDto>> CreateStaffAsync(StaffRequest request, CancellationToken ct) =>
        await SaveStaffAsync(null, request, ct).ConfigureAwait(false);

    public async Task<Result<StaffDto>> UpdateStaffAsync(StaffId id, StaffRequest request, CancellationToken ct) =>
        await SaveStaffAsync(id, request, ct).ConfigureAwait(false);

    private async Task<Result<StaffDto>> SaveStaffAsync(StaffId? id, StaffRequest request, CancellationToken ct)
    {
        if (!me.May(Permission.Enrol))
        {
            return Refusal.NotAllowed();
        }
        // Scope before rules: another county's or school's staff member answers 404 whatever the body says.
        Staff? found = null;
        if (id is { } existing)
        {
            found = await db.Staff.SingleOrDefaultAsync(s => s.Id == existing && s.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
            if (found is null || (me.IsCoordinator && (found.SchoolId is not { } theirs || !me.ActsFor(theirs))))
            {
                return Refusal.NotFound();
            }
        }
        if (Validation.Check(StaffRequestValidator.Instance, request) is { } invalid)
        {
            return invalid;
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
        var staff = found;
        if (staff is null)
        {
            staff = new Staff { Id = StaffId.New(), CountyCode = me.CountyCode, Department = request.Department, Name = "", BaseName = "" };
            db.Staff.Add(staff);
        }
        var phone = request.Phone?.Trim() ?? "";
        if (phone.Length > 0 && await db.Staff.AnyAsync(s => s.CountyCode == me.CountyCode && s.Phone == phone && s.Id != staff.Id, ct).ConfigureAwait(false))
        {
            return Refusal.Conflict("duplicate_staff", "该手机号的人员已登记", "phone");
        }
        Apply(staff, request);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return PeopleDirectory.ToDto(staff);
    }

    public async Task<Result<StudentDto>> CreateStudentAsync(StudentRequest request, CancellationToken ct) =>
        await SaveStudentAsync(null, request, ct).ConfigureAwait(false);

    /// <summary>The whole record of a child replaced by <paramref name="request"/>; a coordinator may not move a child to another school.</summary>
    public async Task<Result<StudentDto>> UpdateStudentAsync(StudentId id, StudentRequest request, CancellationToken ct) =>
        await SaveStudentAsync(id, request, ct).ConfigureAwait(false);

    private async Task<Result<StudentDto>> SaveStudentAsync(StudentId? id, StudentRequest request, CancellationToken ct)
    {
        if (!me.May(Permission.Enrol))
        {
            return Refusal.NotAllowed();
        }
        // Scope before rules: a child out of the caller's scope answers 404 whatever the body says.
        Student? found = null;
        if (id is { } existing)
        {
            found = await directory.VisibleStudentAsync(existing, ct).ConfigureAwait(false);
            if (found is null)
            {
                return Refusal.NotFound();
            }
        }
        if (Validation.Check(new StudentRequestValidator(me.CountyCode, Today), request) is { } invalid)
        {
            return invalid;
        }
        var school = new SchoolId(request.SchoolOfRecordId);
        if (!await db.Schools.AnyAsync(s => s.Id == school && s.CountyCode == me.CountyCode, ct).ConfigureAwait(false) || !me.ActsFor(school))
        {
            return Refusal.NotFound();
        }
        if (!await db.Villages.AnyAsync(v => v.Code == request.VillageCode, ct).ConfigureAwait(false))
        {
            return Refusal.Invalid("villageCode", "没有这个村/社区代码");
        }
        var student = found;
        if (student is null)
        {
            student = NewStudent(me.CountyCode, school);
            db.Students.Add(student);
        }
        if (await DuplicateOfAsync(student.Id, request, ct).ConfigureAwait(false) is { } duplicate)
        {
            return duplicate;
        }
        Apply(student, request);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return PeopleDirectory.ToDto(student);
    }

    /// <summary>Another child of the county with the same 身份证号 or 全国学籍号: the same child entered twice.</summary>
    private async Task<Refusal?> DuplicateOfAsync(StudentId self, StudentRequest request, CancellationToken ct)
    {
        var card = IdentityNumbers.Normalise(request.IdCardNo);
        if (card.Length > 0 && await db.Students.AnyAsync(s => s.CountyCode == me.CountyCode && s.IdCardNo == card && s.Id != self, ct).ConfigureAwait(false))
        {
            return Refusal.Conflict("duplicate_child", "该身份证号的学生已登记", "idCardNo");
        }
        var number = request.NationalStudentNo?.Trim() ?? "";
        if (number.Length > 0 && await db.Students.AnyAsync(s => s.CountyCode == me.CountyCode && s.NationalStudentNo == number && s.Id != self, ct).ConfigureAwait(false))
        {
            return Refusal.Conflict("duplicate_child", "该全国学籍号的学生已登记", "nationalStudentNo");
        }
        return null;
    }

    /// <summary>残联登记: certificate number, category, grade and the day it was issued, together.</summary>
    public async Task<Result<StudentDto>> RegisterDisabilityAsync(StudentId id, RegistrationRequest request, CancellationToken ct)
    {
        if (!me.May(Permission.Enrol))
        {
            return Refusal.NotAllowed();
        }
        var student = await directory.VisibleStudentAsync(id, ct).ConfigureAwait(false);
        if (student is null)
        {
            return Refusal.NotFound();
        }
        if (Validation.Check(new RegistrationRequestValidator(student.BirthDate, Today), request) is { } invalid)
        {
            return invalid;
        }
        student.DisabilityCertificateNo = request.CertificateNo.Trim();
        student.DisabilityCategory = request.Category;
        student.DisabilityGrade = request.Grade;
        student.DisabilityRegisteredOn = request.RegisteredOn;
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return PeopleDirectory.ToDto(student);
    }

    public async Task<Result<StudentDto>> AddAssessmentAsync(StudentId id, AssessmentRequest request, CancellationToken ct) =>
        await SaveAssessmentAsync(id, null, request, ct).ConfigureAwait(false);

    /// <summary>A correction of an assessment as recorded (a typing error in the 文号 or the date), audited like any change.</summary>
    public async Task<Result<StudentDto>> UpdateAssessmentAsync(StudentId id, Guid assessmentId, AssessmentRequest request, CancellationToken ct) =>
        await SaveAssessmentAsync(id, assessmentId, request, ct).ConfigureAwait(false);

    private async Task<Result<StudentDto>> SaveAssessmentAsync(StudentId id, Guid? assessmentId, AssessmentRequest request, CancellationToken ct)
    {
        if (!me.May(Permission.RecordAssessments))
        {
            return Refusal.NotAllowed();
        }
        var student = await directory.VisibleStudentAsync(id, ct).ConfigureAwait(false);
        if (student is null || (assessmentId is { } wanted && student.Assessments.All(a => a.Id != wanted)))
        {
            return Refusal.NotFound();
        }
        if (Validation.Check(new AssessmentRequestValidator(Today), request) is { } invalid)
        {
            return invalid;
        }
        Assessment assessment;
        if (assessmentId is { } existing)
        {
            var found = student.Assessments.SingleOrDefault(a => a.Id == existing);
            if (found is null)
            {
                return Refusal.NotFound();
            }
            assessment = found;
        }
        else
        {
            assessment = new Assessment { StudentId = student.Id, Date = request.Date, Conclusion = request.Conclusion };
            // Added as new: its key is set on construction, so found through the child's collection it would pass
            // for an existing row and be saved as an update of nothing (a concurrency failure, answered 500).
            db.Assessments.Add(assessment);
        }
        Apply(assessment, request, me.UserName, clock.GetUtcNow());
        // A new conclusion of 随班就读 or 特教学校 takes an enrolled child off the 送教 roster from the last day of
        // teaching (today unless given), with the assessment as the reason, in the same save (ChildPath).
        if (assessmentId is null && student.Status == StudentStatus.Enrolled
            && request.Conclusion is AssessmentConclusion.RegularClass or AssessmentConclusion.SpecialSchool)
        {
            var lastDay = request.LastDayOfTeaching ?? Today;
            if (lastDay < Today)
            {
                return Refusal.Invalid("lastDayOfTeaching", $"送教截止日期不能早于今天（{Today:yyyy-MM-dd}）：已经过去的记录保持原样");
            }
            var kind = request.Conclusion == AssessmentConclusion.RegularClass ? ExitKind.RegularClass : ExitKind.SpecialSchool;
            var place = kind == ExitKind.RegularClass ? "随班就读" : "特教学校";
            var document = assessment.DocumentNo.Length > 0 ? assessment.DocumentNo : $"{assessment.Date:yyyy-MM-dd}";
            var exit = new StudentExit
            {
                StudentId = student.Id, CountyCode = student.CountyCode, Kind = kind, LastDay = lastDay, AssessmentId = assessment.Id,
                Reason = $"专家委员会评估结论：{place}（{document}）", RecordedBy = me.UserName, RecordedAt = clock.GetUtcNow(),
            };
            await ChildPath.LeaveAsync(db, student, exit, $"{ChildPath.Words(kind)}（{document}）", ct).ConfigureAwait(false);
        }
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return PeopleDirectory.ToDto(student);
    }

    public static Student NewStudent(string countyCode, SchoolId school) => new()
    {
        Id = StudentId.New(), CountyCode = countyCode, SchoolOfRecordId = school, Name = "", Gender = "", BirthDate = default,
        DisabilityCategory = default, DisabilityGrade = 0, VillageCode = "",
    };

    /// <summary>A validated request onto a child's record: the one mapping the page, the API and the import share.</summary>
    public static void Apply(Student student, StudentRequest request)
    {
        student.SchoolOfRecordId = new SchoolId(request.SchoolOfRecordId);
        student.Name = request.Name.Trim();
        student.Gender = request.Gender;
        student.Ethnicity = request.Ethnicity?.Trim() ?? "";
        student.BirthDate = request.BirthDate;
        student.DisabilityCategory = request.DisabilityCategory;
        student.DisabilityGrade = request.DisabilityGrade;
        student.DisabilityCertificateNo = request.DisabilityCertificateNo?.Trim() ?? "";
        student.DisabilityRegisteredOn = request.DisabilityRegisteredOn;
        student.NationalStudentNo = request.NationalStudentNo?.Trim() ?? "";
        student.IdCardNo = IdentityNumbers.Normalise(request.IdCardNo);
        student.VillageCode = request.VillageCode;
        student.HomeLat = request.HomeLat;
        student.HomeLon = request.HomeLon;
        student.Guardians = [.. (request.Guardians ?? []).Select(g => new Guardian { Name = g.Name.Trim(), Relation = g.Relation.Trim(), Phone = g.Phone })];
    }

    /// <summary>A validated request onto a staff record.</summary>
    public static void Apply(Staff staff, StaffRequest request)
    {
        staff.SchoolId = request.SchoolId is { } s ? new SchoolId(s) : null;
        staff.Department = request.Department;
        staff.Name = request.Name.Trim();
        staff.Phone = request.Phone?.Trim() ?? "";
        staff.Skills = [.. request.Skills!.Select(k => k.Trim())];
        staff.BaseName = request.BaseName?.Trim() ?? "";
        staff.BaseLat = request.BaseLat;
        staff.BaseLon = request.BaseLon;
        staff.Availability = [.. (request.Availability ?? []).Select(w => w.ToDomain())];
        staff.MaxSessionsPerWeek = request.MaxSessionsPerWeek;
        staff.MaxAwayMinutesPerDay = request.MaxAwayMinutesPerDay;
        staff.MaxTravelMinutesPerDay = request.MaxTravelMinutesPerDay;
        staff.CanTeachRemotely = request.CanTeachRemotely;
    }

    /// <summary>A validated request onto an assessment, with who recorded it and when.</summary>
    public static void Apply(Assessment assessment, AssessmentRequest request, string recordedBy, DateTimeOffset at)
    {
        assessment.Date = request.Date;
        assessment.Conclusion = request.Conclusion;
        assessment.DocumentNo = request.DocumentNo?.Trim() ?? "";
        assessment.Members = [.. (request.Members ?? []).Select(m => m.Trim()).Where(m => m.Length > 0)];
        assessment.Note = request.Note?.Trim() ?? "";
        assessment.RecordedBy = recordedBy;
        assessment.RecordedAt = at;
    }
}
