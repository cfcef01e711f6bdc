using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Visits;

/// <summary>
/// A county with a second school: one child on the roll in the coordinator's school, one in the other,
/// each with a published session in week 37 (the teacher account teaches the first) and a flagged record.
/// </summary>
public sealed record RecordsCounty(TestCounty County, StudentId Ours, StudentId Theirs, string OurSession, string TheirSession, string UnrecordedSession)
{
    public static async Task<RecordsCounty> SeedAsync(ServiceFactory factory)
    {
        var county = await factory.LincangAsync();
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var otherSchool = new School { Id = SchoolId.New(), CountyCode = county.Code, TownshipCode = county.Code + "102", Name = "邦东乡中心小学", Kind = SchoolKind.Regular };
        db.Schools.Add(otherSchool);
        var otherTeacher = new Staff { Id = StaffId.New(), CountyCode = county.Code, SchoolId = otherSchool.Id, Department = Department.Education, Name = "周老师", BaseName = otherSchool.Name, MaxSessionsPerWeek = 8 };
        db.Staff.Add(otherTeacher);
        Student Child(SchoolId school, string name, string village)
        {
            var child = new Student
            {
                Id = StudentId.New(), CountyCode = county.Code, SchoolOfRecordId = school, Name = name, Gender = "女", BirthDate = new DateOnly(2015, 2, 1),
                DisabilityCategory = DisabilityCategory.Physical, DisabilityGrade = 1, VillageCode = county.Code + village, HomeLat = 23.8, HomeLon = 100.1,
            };
            db.Students.Add(child);
            var plan = new Plan { Id = PlanId.New(), StudentId = child.Id, TermId = county.Term, CountyCode = county.Code, SchoolId = school };
            plan.Versions.Add(new PlanVersion
            {
                PlanId = plan.Id, Number = 1, Status = PlanStatus.Active, CreatedBy = "coordinator", CreatedAt = DateTimeOffset.UnixEpoch, HomeVisitsPerWeek = 1, LessonsPerVisit = 2,
                TeamSize = 1, Goals = ["能独立抓握勺子"], DecidedBy = "approver", DecidedAt = new DateTimeOffset(2026, 8, 20, 2, 0, 0, TimeSpan.Zero),
            });
            db.Plans.Add(plan);
            return child;
        }
        var ours = Child(county.School, "吴某某", "101201");
        var theirs = Child(otherSchool.Id, "郑某某", "102201");
        var run = new TimetableRun { CountyCode = county.Code, TermId = county.Term, StartedBy = "approver", CreatedAt = DateTimeOffset.UnixEpoch, Status = RunStatus.Succeeded };
        var timetable = new Timetable { CountyCode = county.Code, TermId = county.Term, RunId = run.Id, CreatedAt = DateTimeOffset.UnixEpoch, TemplateJson = "{}", ScenarioJson = "{}", Status = TimetableStatus.Published };
        TimetableSession Session(Student child, StaffId staff, int n, DateOnly date) => new()
        {
            TimetableId = timetable.Id, SessionKey = $"{child.Id}:home:{n}:2026-W37", StudentId = child.Id, Mode = SessionModes.Home, Week = "2026-W37",
            Date = date, Start = new TimeOnly(9, 0), End = new TimeOnly(10, 20), StaffIds = [staff.Value],
        };
        var ourSession = Session(ours, county.Teacher, 0, new DateOnly(2026, 9, 8));
        var unrecorded = Session(ours, county.Teacher, 1, new DateOnly(2026, 9, 10));
        var theirSession = Session(theirs, otherTeacher.Id, 0, new DateOnly(2026, 9, 8));
        db.Runs.Add(run);
        db.Timetables.Add(timetable);
        db.Sessions.AddRange(ourSession, unrecorded, theirSession);
        // Both records have no content: both are flagged.
        VisitRecord Visit(TimetableSession s, StaffId staff) => new()
        {
            CountyCode = county.Code, SessionKey = s.SessionKey, StudentId = s.StudentId, Version = 1, Date = s.Date, Start = s.Start, End = s.End,
            StaffPresent = [staff.Value], Mode = SessionModes.Home, RecordedBy = "teacher", RecordedAt = new DateTimeOffset(2026, 9, 8, 3, 0, 0, TimeSpan.Zero),
        };
        db.Visits.AddRange(Visit(ourSession, county.Teacher), Visit(theirSession, otherTeacher.Id));
        await db.SaveChangesAsync();
        return new RecordsCounty(county, ours.Id, theirs.Id, ourSession.SessionKey, theirSession.SessionKey, unrecorded.SessionKey);
    }
}
