using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Support;

/// <summary>Staff with bases and weekly windows, and children with homes and plans in force: enough to run the solver.</summary>
public static class SchedulableCounty
{
    public static readonly string[] SpecialEducation = ["special-education"];

    /// <summary>Adds two teachers and the given children (with synthetic homes near 临翔区) with active plans.</summary>
    public static async Task<IReadOnlyList<StudentId>> AddAsync(TestCounty county, int children, string[]? skills = null, int visitsPerWeek = 1)
    {
        using var scope = county.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var weekdays = Enumerable.Range(1, 5).Select(d => new WeeklyWindow { Day = d, From = new TimeOnly(8, 0), To = new TimeOnly(18, 0) }).ToList();
        if (!db.Staff.Any(s => s.CountyCode == county.Code && s.Availability.Count > 0))
        {
            for (var i = 0; i < 2; i++)
            {
                db.Staff.Add(new Staff
                {
                    Id = StaffId.New(), CountyCode = county.Code, SchoolId = county.School, Department = Department.Education, Name = $"教师{i}",
                    BaseName = "县特殊教育学校", BaseLat = 23.8868, BaseLon = 100.0925, MaxSessionsPerWeek = 10, MaxAwayMinutesPerDay = 600,
                    CanTeachRemotely = true, Skills = [.. SpecialEducation], Availability = [.. weekdays.Select(w => new WeeklyWindow { Day = w.Day, From = w.From, To = w.To })],
                });
            }
        }
        var ids = new List<StudentId>();
        for (var i = 0; i < children; i++)
        {
            var child = new Student
            {
                Id = StudentId.New(), CountyCode = county.Code, SchoolOfRecordId = county.School, Name = "周某某", Gender = "女", BirthDate = new DateOnly(2015, 2, 1),
                DisabilityCategory = DisabilityCategory.Physical, DisabilityGrade = 1, VillageCode = county.Code + "102201",
                HomeLat = 23.80 + i * 0.01, HomeLon = 100.10 + i * 0.005,
            };
            db.Students.Add(child);
            var plan = new Plan { Id = PlanId.New(), StudentId = child.Id, TermId = county.Term, CountyCode = county.Code, SchoolId = county.School };
            plan.Versions.Add(new PlanVersion
            {
                PlanId = plan.Id, Number = 1, Status = PlanStatus.Active, CreatedBy = "coordinator", CreatedAt = DateTimeOffset.UnixEpoch,
                SubmittedBy = "coordinator", SubmittedAt = DateTimeOffset.UnixEpoch, DecidedBy = "approver", DecidedAt = new DateTimeOffset(2026, 8, 20, 2, 0, 0, TimeSpan.Zero), Opinion = "同意",
                HomeVisitsPerWeek = visitsPerWeek, LessonsPerVisit = 2, TeamSize = 1, RequiredSkills = [.. skills ?? SpecialEducation],
                Windows = [.. weekdays.Select(w => new WeeklyWindow { Day = w.Day, From = new TimeOnly(9, 0), To = new TimeOnly(17, 0) })],
            });
            db.Plans.Add(plan);
            ids.Add(child.Id);
        }
        await db.SaveChangesAsync().ConfigureAwait(false);
        return ids;
    }

    /// <summary>The county's teacher account's staff record gets a base and windows, so that it (and no other staff) carries the sessions.</summary>
    public static async Task MakeTheTeacherSchedulableAsync(TestCounty county)
    {
        using var scope = county.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var teacher = await db.Staff.SingleAsync(s => s.Id == county.Teacher).ConfigureAwait(false);
        teacher.BaseLat = 23.8868;
        teacher.BaseLon = 100.0925;
        teacher.MaxAwayMinutesPerDay = 600;
        teacher.Skills = [.. SpecialEducation];
        teacher.Availability = [.. Enumerable.Range(1, 5).Select(d => new WeeklyWindow { Day = d, From = new TimeOnly(8, 0), To = new TimeOnly(18, 0) })];
        await db.SaveChangesAsync().ConfigureAwait(false);
    }
}
