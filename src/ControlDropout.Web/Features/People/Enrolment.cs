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
        var staff = new Staff
        {
            Id = StaffId.New(), CountyCode = me.CountyCode, SchoolId = request.SchoolId is { } s ? new SchoolId(s) : null, Department = request.Department,
            Name = request.Name.Trim(), Skills = [.. request.Skills!.Select(k => k.Trim())], BaseName = request.BaseName?.Trim() ?? "", BaseLat = request.BaseLat, BaseLon = request.BaseLon,
            Availability = [.. (request.Availability ?? []).Select(w => w.ToDomain())], MaxSessionsPerWeek = request.MaxSessionsPerWeek,
            MaxAwayMinutesPerDay = request.MaxAwayMinutesPerDay, CanTeachRemotely = request.CanTeachRemotely,
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
        if (Validation.Check(new StudentRequestValidator(me.CountyCode, Today), request) is { } invalid)
        {
            return invalid;
        }
        var school = new SchoolId(request.SchoolOfRecordId);
        if (!await db.Schools.AnyAsync(s => s.Id == school && s.CountyCode == me.CountyCode, ct).ConfigureAwait(false) || !me.ActsFor(school))
        {
            return Refusal.NotFound();
        }
        var student = new Student
        {
            Id = StudentId.New(), CountyCode = me.CountyCode, SchoolOfRecordId = school, Name = request.Name.Trim(), Gender = request.Gender,
            Ethnicity = request.Ethnicity?.Trim() ?? "", BirthDate = request.BirthDate, DisabilityCategory = request.DisabilityCategory, DisabilityGrade = request.DisabilityGrade,
            DisabilityCertificateNo = request.DisabilityCertificateNo?.Trim() ?? "", NationalStudentNo = request.NationalStudentNo?.Trim() ?? "",
            VillageCode = request.VillageCode, HomeLat = request.HomeLat, HomeLon = request.HomeLon,
            Guardians = [.. (request.Guardians ?? []).Select(g => new Guardian { Name = g.Name.Trim(), Relation = g.Relation.Trim(), Phone = g.Phone })],
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
        if (Validation.Check(new AssessmentRequestValidator(Today), request) is { } invalid)
        {
            return invalid;
        }
        var visible = await directory.VisibleStudentsAsync(ct).ConfigureAwait(false);
        var student = await visible.SingleOrDefaultAsync(s => s.Id == id, ct).ConfigureAwait(false);
        if (student is null)
        {
            return Refusal.NotFound();
        }
        var assessment = new Assessment { StudentId = student.Id, Date = request.Date, Conclusion = request.Conclusion };
        // Added as new: its key is set on construction, so found through the child's collection it would pass
        // for an existing row and be saved as an update of nothing (a concurrency failure, answered 500).
        db.Assessments.Add(assessment);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return PeopleDirectory.ToDto(student);
    }
}
