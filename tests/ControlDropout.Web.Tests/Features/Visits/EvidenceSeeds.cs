using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Visits;

/// <summary>Sessions and photo rows for the evidence tests: a new child each, today 07:00–08:20 (the fake clock says 09:00), taught by the teacher account.</summary>
public static class EvidenceSeeds
{
    /// <summary>The child's home (every child of <see cref="SessionAsync"/> lives here).</summary>
    public const double HomeLat = 23.8;
    public const double HomeLon = 100.1;

    /// <summary>Today's 07:00–08:20 (Beijing) session of a new child, taught by the teacher account; the fake clock says 09:00.</summary>
    public static async Task<(string Key, StudentId Child, TermId Term)> SessionAsync(ServiceFactory factory, TestCounty county)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var child = new Student
        {
            Id = StudentId.New(), CountyCode = county.Code, SchoolOfRecordId = county.School, Name = "凭证童", Gender = "女", BirthDate = new DateOnly(2015, 2, 1),
            DisabilityCategory = DisabilityCategory.Physical, DisabilityGrade = 1, VillageCode = county.Code + "101201", HomeLat = HomeLat, HomeLon = HomeLon,
        };
        db.Students.Add(child);
        var plan = new Plan { Id = PlanId.New(), StudentId = child.Id, TermId = county.Term, CountyCode = county.Code, SchoolId = county.School };
        plan.Versions.Add(new PlanVersion
        {
            PlanId = plan.Id, Number = 1, Status = PlanStatus.Active, CreatedBy = "coordinator", CreatedAt = DateTimeOffset.UnixEpoch, HomeVisitsPerWeek = 1, LessonsPerVisit = 2,
            TeamSize = 1, Goals = ["能独立抓握勺子"], DecidedBy = "approver", DecidedAt = new DateTimeOffset(2026, 8, 20, 2, 0, 0, TimeSpan.Zero),
        });
        db.Plans.Add(plan);
        var run = new TimetableRun { CountyCode = county.Code, TermId = county.Term, StartedBy = "approver", CreatedAt = DateTimeOffset.UnixEpoch, Status = RunStatus.Succeeded };
        var timetable = new Timetable { CountyCode = county.Code, TermId = county.Term, RunId = run.Id, CreatedAt = DateTimeOffset.UnixEpoch, TemplateJson = "{}", ScenarioJson = "{}", Status = TimetableStatus.Published };
        var session = new TimetableSession
        {
            TimetableId = timetable.Id, SessionKey = $"{child.Id}:home:0:2026-W37", StudentId = child.Id, Mode = SessionModes.Home, Week = "2026-W37",
            Date = new DateOnly(2026, 9, 7), Start = new TimeOnly(7, 0), End = new TimeOnly(8, 20), StaffIds = [county.Teacher.Value],
        };
        db.Runs.Add(run);
        db.Timetables.Add(timetable);
        db.Sessions.Add(session);
        await db.SaveChangesAsync();
        return (session.SessionKey, child.Id, county.Term);
    }

    /// <summary>A photo row as the photo store leaves it (the store itself is the photo helper's).</summary>
    public static async Task<Guid> PhotoAsync(ServiceFactory factory, TestCounty county, string sessionKey, StudentId child)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var photo = new VisitPhoto
        {
            CountyCode = county.Code, SessionKey = sessionKey, StudentId = child, Sha256 = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + new string('0', 32),
            ContentType = "image/jpeg", Width = 800, Height = 600, Length = 12_345, UploadedBy = "teacher", UploadedAt = factory.Clock.GetUtcNow(),
        };
        db.VisitPhotos.Add(photo);
        await db.SaveChangesAsync();
        return photo.Id;
    }

}
