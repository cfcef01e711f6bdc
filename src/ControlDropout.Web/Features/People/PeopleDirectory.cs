using System.Globalization;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Plans;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.People;

/// <summary>
/// Reading the county's places, schools, staff and children, each scoped to the caller: a coordinator
/// sees their school's children, a teacher the children a published timetable sends them to and their
/// own staff record, everyone else in the county the whole county. Identifiers of minors are masked
/// unless an unmasked read is asked for by a role that may, and then it is audited.
/// </summary>
public sealed class PeopleDirectory(AppDbContext db, CurrentUser me)
{
    public async Task<Result<List<TownshipDto>>> TownshipsAsync(CancellationToken ct)
    {
        var towns = await db.Townships.AsNoTracking().Where(t => t.CountyCode == me.CountyCode).OrderBy(t => t.Code).ToListAsync(ct).ConfigureAwait(false);
        return towns.Select(t => new TownshipDto(t.Code, t.Name, t.Lat, t.Lon)).ToList();
    }

    public async Task<Result<List<SchoolDto>>> SchoolsAsync(CancellationToken ct)
    {
        var schools = await db.Schools.AsNoTracking().Where(s => s.CountyCode == me.CountyCode).OrderBy(s => s.Name).ToListAsync(ct).ConfigureAwait(false);
        return schools.Select(s => new SchoolDto(s.Id.Value, s.Name, s.Kind, s.TownshipCode)).ToList();
    }

    /// <summary>The county's staff, for those who plan and check the work; a teacher asks for <see cref="MyStaffRecordAsync"/> instead.</summary>
    public async Task<Result<List<StaffDto>>> ListStaffAsync(CancellationToken ct)
    {
        if (!me.May(Permission.ListStaff))
        {
            return Refusal.NotAllowed();
        }
        var staff = await db.Staff.AsNoTracking().Where(s => s.CountyCode == me.CountyCode).ToListAsync(ct).ConfigureAwait(false);
        return staff.OrderBy(s => s.Name, StringComparer.Ordinal).Select(ToDto).ToList();
    }

    /// <summary>The caller's own staff record; absent for a user who is not a staff member.</summary>
    public async Task<Result<StaffDto>> MyStaffRecordAsync(CancellationToken ct)
    {
        if (me.StaffId is not { } mine)
        {
            return Refusal.NotFound();
        }
        var staff = await db.Staff.AsNoTracking().SingleOrDefaultAsync(s => s.Id == mine && s.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
        return staff is null ? Refusal.NotFound() : ToDto(staff);
    }

    /// <summary>Children the caller may see: their school's for a coordinator, those they teach for a teacher, the county's otherwise.</summary>
    internal async Task<IQueryable<Student>> VisibleStudentsAsync(CancellationToken ct)
    {
        var students = db.Students.Include(s => s.Assessments).Where(s => s.CountyCode == me.CountyCode);
        if (me.IsCoordinator)
        {
            var school = me.SchoolId;
            return students.Where(s => school != null && s.SchoolOfRecordId == school);
        }
        if (me.IsTeacher)
        {
            var mine = me.StaffId?.Value ?? Guid.Empty;
            var county = me.CountyCode;
            var published = db.Timetables.Where(t => t.CountyCode == county && t.Status == TimetableStatus.Published).Select(t => t.Id);
            var taught = await db.Sessions.Where(s => published.Contains(s.TimetableId)).Select(s => new { s.StudentId, s.StaffIds }).ToListAsync(ct).ConfigureAwait(false);
            var children = taught.Where(s => s.StaffIds.Contains(mine)).Select(s => s.StudentId).Distinct().ToList();
            return students.Where(s => children.Contains(s.Id));
        }
        return students;
    }

    /// <summary>One child the caller may see (tracked, with assessments, for a change), or null as if absent.</summary>
    internal async Task<Student?> VisibleStudentAsync(StudentId id, CancellationToken ct) =>
        await (await VisibleStudentsAsync(ct).ConfigureAwait(false)).SingleOrDefaultAsync(s => s.Id == id, ct).ConfigureAwait(false);

    /// <summary>One child the caller may see, read only, or null as if absent.</summary>
    internal async Task<Student?> VisibleStudentReadOnlyAsync(StudentId id, CancellationToken ct) =>
        await (await VisibleStudentsAsync(ct).ConfigureAwait(false)).AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct).ConfigureAwait(false);

    public async Task<Result<List<StudentDto>>> ListStudentsAsync(CancellationToken ct)
    {
        var visible = await VisibleStudentsAsync(ct).ConfigureAwait(false);
        var students = await visible.AsNoTracking().ToListAsync(ct).ConfigureAwait(false);
        return students.OrderBy(s => s.VillageCode, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal).Select(ToDto).ToList();
    }

    /// <summary>A child; with <paramref name="unmask"/> (approvers and admins only) the numbers and phones in full, and the read audited.</summary>
    public async Task<Result<StudentDto>> GetStudentAsync(StudentId id, bool unmask, CancellationToken ct)
    {
        if (unmask && !me.May(Permission.Unmask))
        {
            return Refusal.Forbidden("unmask_not_allowed", "您无权查看未遮蔽的证件号和电话（只有审批人或管理员可以）");
        }
        var student = await VisibleStudentReadOnlyAsync(id, ct).ConfigureAwait(false);
        if (student is null)
        {
            return Refusal.NotFound();
        }
        if (!unmask)
        {
            return ToDto(student);
        }
        await db.RecordReadAsync("read-unmasked", "Student", student.Id.ToString(), "ID card, certificate, registration number and guardian phones shown", ct).ConfigureAwait(false);
        return ToDto(student) with
        {
            DisabilityCertificateNo = student.DisabilityCertificateNo,
            NationalStudentNo = student.NationalStudentNo,
            IdCardNo = student.IdCardNo,
            Guardians = [.. student.Guardians.Select(g => new GuardianDto(g.Name, g.Relation, g.Phone))],
        };
    }

    /// <summary>The county's villages with their township, for the child form's place select.</summary>
    public async Task<Result<List<VillageDto>>> VillagesAsync(CancellationToken ct)
    {
        var county = me.CountyCode;
        var towns = db.Townships.Where(t => t.CountyCode == county).Select(t => t.Code);
        var villages = await db.Villages.AsNoTracking().Where(v => towns.Contains(v.TownshipCode)).ToListAsync(ct).ConfigureAwait(false);
        return villages.OrderBy(v => v.Code, StringComparer.Ordinal).Select(v => new VillageDto(v.Code, v.Name, v.TownshipCode, v.Lat, v.Lon)).ToList();
    }

    /// <summary>Whether the caller's role may ask for the phones of a child it can see (its buttons read this too).</summary>
    // A child visible to a coordinator is of their school, to a teacher one they teach: the scope is the visibility.
    public bool MayRevealGuardians => me.IsCoordinator || me.IsTeacher || me.May(Permission.Unmask);

    /// <summary>
    /// A child's guardians: masked for anyone, in full (<paramref name="reveal"/>, audited) for those who must call the family —
    /// the child's school coordinator, the teachers of the child's team (staff on a published session of the child) and the
    /// bureau (approver, admin). A teacher of other children finds no such child (404), as for any other read.
    /// </summary>
    public async Task<Result<List<GuardianDto>>> GuardiansAsync(StudentId id, bool reveal, CancellationToken ct)
    {
        var student = await VisibleStudentReadOnlyAsync(id, ct).ConfigureAwait(false);
        if (student is null)
        {
            return Refusal.NotFound();
        }
        if (!reveal)
        {
            return student.Guardians.Select(g => new GuardianDto(g.Name, g.Relation, Masking.Phone(g.Phone))).ToList();
        }
        if (!MayRevealGuardians)
        {
            return Refusal.Forbidden("reveal_not_allowed", "只有学生所在学校的协调人、送教团队的教师和县教体局可以查看监护人电话");
        }
        await db.RecordReadAsync("read-unmasked", "Student", student.Id.ToString(), "guardian phones shown", ct).ConfigureAwait(false);
        return student.Guardians.Select(g => new GuardianDto(g.Name, g.Relation, g.Phone)).ToList();
    }

    /// <summary>
    /// A child's record as stored, for the edit form to keep what was posted back masked; never for showing
    /// (the form shows <see cref="Masking"/>'s text). Only for those who may enrol the child.
    /// </summary>
    internal async Task<Result<StudentRequest>> StoredStudentAsync(StudentId id, CancellationToken ct)
    {
        if (!me.May(Permission.Enrol))
        {
            return Refusal.NotAllowed();
        }
        var s = await VisibleStudentReadOnlyAsync(id, ct).ConfigureAwait(false);
        if (s is null)
        {
            return Refusal.NotFound();
        }
        return new StudentRequest(s.Name, s.Gender, s.Ethnicity, s.BirthDate, s.DisabilityCategory, s.DisabilityGrade, s.DisabilityCertificateNo, s.NationalStudentNo,
            s.SchoolOfRecordId.Value, s.VillageCode, s.HomeLat, s.HomeLon, [.. s.Guardians.Select(g => new GuardianDto(g.Name, g.Relation, g.Phone))], s.IdCardNo, s.DisabilityRegisteredOn);
    }

    /// <summary>A staff member's record as stored (the phone unmasked), for the edit form only; scoped as <see cref="Enrolment"/> scopes staff.</summary>
    internal async Task<Result<StaffRequest>> StoredStaffAsync(StaffId id, CancellationToken ct)
    {
        if (!me.May(Permission.Enrol))
        {
            return Refusal.NotAllowed();
        }
        var s = await db.Staff.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && s.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
        if (s is null || (me.IsCoordinator && (s.SchoolId is not { } theirs || !me.ActsFor(theirs))))
        {
            return Refusal.NotFound();
        }
        var dto = ToDto(s);
        return new StaffRequest(s.Name, s.Department, s.SchoolId?.Value, s.Skills, s.BaseName, s.BaseLat, s.BaseLon, dto.Availability, s.MaxSessionsPerWeek,
            s.MaxAwayMinutesPerDay, s.CanTeachRemotely, s.Phone, s.MaxTravelMinutesPerDay);
    }

    /// <summary>The county's schools with where they are: a staff member of a school is based there.</summary>
    internal async Task<List<(SchoolDto School, double Lat, double Lon)>> SchoolPlacesAsync(CancellationToken ct)
    {
        var schools = await db.Schools.AsNoTracking().Where(s => s.CountyCode == me.CountyCode).OrderBy(s => s.Name).ToListAsync(ct).ConfigureAwait(false);
        return [.. schools.Select(s => (new SchoolDto(s.Id.Value, s.Name, s.Kind, s.TownshipCode), s.Lat, s.Lon))];
    }

    internal static StaffDto ToDto(Staff s) => new(s.Id.Value, s.Name, s.Department, s.SchoolId?.Value, s.Skills, s.BaseName, s.BaseLat, s.BaseLon,
        [.. s.Availability.OrderBy(w => w.Day).Select(w => new WindowDto(w.Day, w.From.ToString("HH:mm", CultureInfo.InvariantCulture), w.To.ToString("HH:mm", CultureInfo.InvariantCulture)))],
        s.MaxSessionsPerWeek, s.MaxAwayMinutesPerDay, s.CanTeachRemotely, Masking.Phone(s.Phone), s.MaxTravelMinutesPerDay);

    internal static StudentDto ToDto(Student s) => new(s.Id.Value, s.Name, s.Gender, s.Ethnicity, s.BirthDate, s.DisabilityCategory, s.DisabilityGrade,
        Masking.Identifier(s.DisabilityCertificateNo), Masking.Identifier(s.NationalStudentNo), s.SchoolOfRecordId.Value, s.VillageCode,
        [.. s.Guardians.Select(g => new GuardianDto(g.Name, g.Relation, Masking.Phone(g.Phone)))], s.Status,
        [.. s.Assessments.OrderBy(a => a.Date).Select(a => new AssessmentDto(a.Id, a.Date, a.Conclusion, a.DocumentNo, a.Members, a.Note, a.ReportDocumentId is not null))],
        Masking.Identifier(s.IdCardNo), s.DisabilityRegisteredOn, s.LeftOn);
}

/// <summary>A village (村委会/社区) of the county with its township, and its coordinates when known.</summary>
public sealed record VillageDto(string Code, string Name, string TownshipCode, double? Lat, double? Lon);
