using System.Net;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Replay;

/// <summary>
/// The county of the term replay: the seeded 临翔区 with the schedulable staff of <see cref="SchedulableCounty"/>
/// (each with a teacher account of their own, so that every session can be recorded by someone of its team),
/// two townships, and children with homes and assessments whose plans go through the real API.
/// </summary>
public sealed class ReplayCounty
{
    public const string TownshipA = "530902102";
    public const string TownshipB = "530902103";

    private ReplayCounty(TestCounty county, IReadOnlyDictionary<Guid, string> accountOfStaff, IReadOnlyDictionary<Guid, string> staffNames)
    {
        County = county;
        AccountOfStaff = accountOfStaff;
        StaffNames = staffNames;
    }

    public TestCounty County { get; }

    /// <summary>The teacher account of each staff member (the seeded 李老师 and the two schedulable teachers).</summary>
    public IReadOnlyDictionary<Guid, string> AccountOfStaff { get; }

    public IReadOnlyDictionary<Guid, string> StaffNames { get; }

    /// <summary>The staff the solver can place (the seeded 李老师 has no weekly windows, so never has a session), by name.</summary>
    public IEnumerable<(Guid Staff, string Account)> TeachingStaff =>
        AccountOfStaff.Where(a => a.Key != County.Teacher.Value).OrderBy(a => StaffNames[a.Key], StringComparer.Ordinal).Select(a => (a.Key, a.Value));

    /// <summary>Each child of the replay: its plan id, its name and the day its plan was approved.</summary>
    public List<ReplayChild> Children { get; } = [];

    public static async Task<ReplayCounty> SeedAsync(ServiceFactory factory)
    {
        var county = await factory.LincangAsync();
        await SchedulableCounty.AddAsync(county, children: 0);
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        // Township A (…102) is one of the test county's own; B is the replay's.
        db.Townships.Add(new Township { Code = TownshipB, CountyCode = county.Code, Name = "邦东乡" });
        await db.SaveChangesAsync();
        var staff = db.Staff.Where(s => s.CountyCode == county.Code).ToList();
        var accounts = new Dictionary<Guid, string> { [county.Teacher.Value] = county.Accounts["teacher"] };
        var extended = new Dictionary<string, string>(county.Accounts);
        foreach (var (member, i) in staff.Where(s => s.Id != county.Teacher).OrderBy(s => s.Name, StringComparer.Ordinal).Select((s, i) => (s, i)))
        {
            // User names are ASCII (the Identity default): the staff member's name is the display name.
            var name = $"replay-teacher{i}-{county.Code}";
            var user = new AppUser { UserName = name, CountyCode = county.Code, DisplayName = member.Name, StaffId = member.Id };
            (await users.CreateAsync(user, ServiceFactory.Password)).Succeeded.Should().BeTrue();
            (await users.AddToRoleAsync(user, Roles.Teacher)).Succeeded.Should().BeTrue();
            accounts[member.Id.Value] = name;
            extended[name] = name;
        }
        return new ReplayCounty(county with { Accounts = extended }, accounts, staff.ToDictionary(s => s.Id.Value, s => s.Name));
    }

    /// <summary>
    /// New children with homes in the two townships, their plans created and submitted by the coordinator
    /// and approved by the approver through the API on the clock's current day.
    /// </summary>
    public async Task ApproveNewChildrenAsync(string[] names)
    {
        var factory = County.Factory;
        var coordinator = await County.As("coordinator");
        var approver = await County.As("approver");
        foreach (var name in names)
        {
            var n = Children.Count;
            var id = StudentId.New();
            using (var scope = factory.Services.CreateScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var child = new Student
                {
                    Id = id, CountyCode = County.Code, SchoolOfRecordId = County.School, Name = name, Gender = n % 2 == 0 ? "女" : "男", BirthDate = new DateOnly(2015, 2, 1).AddDays(n * 37),
                    DisabilityCategory = DisabilityCategory.Physical, DisabilityGrade = 1,
                    DisabilityCertificateNo = "53090220150201001141", DisabilityRegisteredOn = new DateOnly(2025, 12, 1), VillageCode = (n % 2 == 0 ? TownshipA : TownshipB) + "201",
                    HomeLat = 23.80 + n * 0.01, HomeLon = 100.10 + n * 0.005,
                };
                child.Assessments.Add(new Assessment { StudentId = id, Date = new DateOnly(2026, 6, 20), Conclusion = AssessmentConclusion.HomeTeaching });
                db.Students.Add(child);
                await db.SaveChangesAsync();
            }
            var (created, plan) = await coordinator.CreatePlanAsync(id, County.Term, Api.WeeklyHomePlan(visits: 1));
            created.StatusCode.Should().Be(HttpStatusCode.Created, $"the plan of {name} is created");
            var submitted = await coordinator.ActAsync(plan!, "submit");
            submitted.StatusCode.Should().Be(HttpStatusCode.OK, $"the plan of {name} is submitted: {await submitted.Content.ReadAsStringAsync()}");
            var approved = await approver.ActAsync(await submitted.ReadPlanAsync(), "approve", new { opinion = "同意送教上门" });
            approved.StatusCode.Should().Be(HttpStatusCode.OK, $"the plan of {name} is approved: {await approved.Content.ReadAsStringAsync()}");
            Children.Add(new ReplayChild(id.Value, name, (await approved.ReadPlanAsync()).Id, Conventions.ChinaDay(factory.Clock.GetUtcNow())));
        }
    }
}

/// <summary>A child of the replay and the day its plan was approved.</summary>
public sealed record ReplayChild(Guid Id, string Name, Guid PlanId, DateOnly ApprovedOn);
