using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Feeds;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Data.Demo;

/// <summary>
/// <c>bench-seed-feeds --staff N --events M --out FILE</c>: a synthetic county for the feed benchmark
/// (tests/bench/feeds): N staff with M published sessions each, children to teach, and children
/// with assessments for the approvals written during the run. Writes one feed path per line.
/// </summary>
public static class FeedBenchSeeder
{
    public const string CountyCode = "530927";

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var staffCount = int.Parse(Arg("--staff") ?? "2000", System.Globalization.CultureInfo.InvariantCulture);
        var events = int.Parse(Arg("--events") ?? "50", System.Globalization.CultureInfo.InvariantCulture);
        var output = Arg("--out") ?? "feed-paths.txt";
        var password = Environment.GetEnvironmentVariable(StartupCommands.AdminPasswordVariable) ?? DemoSeeder.DefaultPassword;
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var rng = new Random(7);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        db.Counties.Add(new County { Code = CountyCode, Name = "沧源佤族自治县" });
        var school = new School { Id = SchoolId.New(), CountyCode = CountyCode, TownshipCode = CountyCode + "101", Name = "沧源县特殊教育学校", Kind = SchoolKind.Special, Lat = 23.1467, Lon = 99.2462 };
        db.Schools.Add(school);
        var term = new Term { Id = TermId.New(), CountyCode = CountyCode, Name = "基准测试学期", FirstDay = today.AddDays(-30), LastDay = today.AddDays(150) };
        db.Terms.Add(term);
        var children = Enumerable.Range(0, 800).Select(i => new Student
        {
            Id = StudentId.New(), CountyCode = CountyCode, SchoolOfRecordId = school.Id, Name = "测某某", Gender = i % 2 == 0 ? "男" : "女", BirthDate = new DateOnly(2015, 1, 1).AddDays(i),
            DisabilityCategory = DisabilityCategory.Multiple, DisabilityGrade = 1, VillageCode = CountyCode + "101201", HomeLat = 23.1 + rng.NextDouble() * 0.2, HomeLon = 99.2 + rng.NextDouble() * 0.2,
        }).ToList();
        foreach (var child in children.Skip(500))
        {
            child.Assessments.Add(new Assessment { StudentId = child.Id, Date = today.AddDays(-40), Conclusion = AssessmentConclusion.HomeTeaching });
        }
        db.Students.AddRange(children);
        var staff = Enumerable.Range(0, staffCount).Select(i => new Staff
        {
            Id = StaffId.New(), CountyCode = CountyCode, SchoolId = school.Id, Department = Department.Education, Name = $"测{i}老师",
            BaseName = school.Name, BaseLat = 23.1467, BaseLon = 99.2462, MaxSessionsPerWeek = 10, CanTeachRemotely = true, Skills = ["special-education"],
        }).ToList();
        db.Staff.AddRange(staff);
        var timetable = new Timetable
        {
            CountyCode = CountyCode, TermId = term.Id, RunId = Guid.Empty, Status = TimetableStatus.Published, CreatedAt = clock.GetUtcNow(),
            TemplateJson = "{}", ScenarioJson = "{}", PublishedBy = "bench", PublishedAt = clock.GetUtcNow(),
        };
        db.Timetables.Add(timetable);
        await db.SaveChangesAsync().ConfigureAwait(false);
        var written = 0;
        foreach (var s in staff)
        {
            for (var e = 0; e < events; e++)
            {
                var child = children[rng.Next(500)];
                var date = today.AddDays(-10 + e * 2);
                var week = Features.Calendar.TermCalendar.IsoWeekName(date);
                db.Sessions.Add(new TimetableSession
                {
                    TimetableId = timetable.Id, SessionKey = $"{s.Id}:{e}:{week}", StudentId = child.Id, Mode = "home", Week = week, Date = date,
                    Start = new TimeOnly(9, 0).AddMinutes(rng.Next(0, 300)), End = new TimeOnly(11, 0).AddMinutes(rng.Next(0, 300)), StaffIds = [s.Id.Value], ChangedAt = clock.GetUtcNow(),
                });
            }
            if (++written % 200 == 0)
            {
                await db.SaveChangesAsync().ConfigureAwait(false);
                db.ChangeTracker.Clear();
            }
        }
        await db.SaveChangesAsync().ConfigureAwait(false);
        db.ChangeTracker.Clear();

        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        foreach (var (name, role) in new[] { ("bench-coordinator", Roles.Coordinator), ("bench-approver", Roles.Approver) })
        {
            var user = new AppUser { UserName = name, CountyCode = CountyCode, SchoolId = role == Roles.Coordinator ? school.Id : null };
            await users.CreateAsync(user, password).ConfigureAwait(false);
            await users.AddToRoleAsync(user, role).ConfigureAwait(false);
        }
        var tokens = scope.ServiceProvider.GetRequiredService<FeedTokens>();
        var lines = new List<string>();
        foreach (var s in await db.Staff.Where(x => x.CountyCode == CountyCode).ToListAsync().ConfigureAwait(false))
        {
            lines.Add($"/feeds/{await tokens.CurrentAsync(s, CancellationToken.None).ConfigureAwait(false)}.ics");
        }
        await File.WriteAllLinesAsync(output, lines).ConfigureAwait(false);
        await File.WriteAllLinesAsync(output + ".children", children.Skip(500).Select(c => c.Id.ToString())).ConfigureAwait(false);
        await File.WriteAllTextAsync(output + ".term", term.Id.ToString()).ConfigureAwait(false);
        Console.WriteLine($"seeded {staffCount} staff × {events} sessions; feed paths in {output}");
        return 0;
    }
}
