using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Timetables;

/// <summary>A county with a second school whose teacher and child the first school's coordinator must not read about; one published timetable.</summary>
public sealed class TwoSchools : IAsyncLifetime, IDisposable
{
    public const string OtherChildName = "外校某某";

    public ServiceFactory Factory { get; } = new();
    public TestCounty County { get; private set; } = null!;
    public IReadOnlyList<StudentId> OurChildren { get; private set; } = [];
    public StudentId OtherChild { get; private set; }
    public StaffId OtherTeacher { get; private set; }
    public Guid Timetable { get; private set; }

    public async Task InitializeAsync()
    {
        Factory.Settings["Access:LoginAttemptsPerMinute"] = "1000";
        County = await Factory.LincangAsync();
        OurChildren = await SchedulableCounty.AddAsync(County, children: 2);
        using (var scope = Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var school = new School { Id = SchoolId.New(), CountyCode = County.Code, TownshipCode = County.Code + "102", Name = "外校", Kind = SchoolKind.Regular };
            db.Schools.Add(school);
            var weekdays = Enumerable.Range(1, 5).Select(d => new WeeklyWindow { Day = d, From = new TimeOnly(8, 0), To = new TimeOnly(18, 0) }).ToList();
            // The only teacher with the skill the other school's child needs, so that she surely teaches that child.
            var teacher = new Staff
            {
                Id = StaffId.New(), CountyCode = County.Code, SchoolId = school.Id, Department = Department.Education, Name = "外校教师",
                BaseName = "外校", BaseLat = 23.85, BaseLon = 100.09, MaxSessionsPerWeek = 10, MaxAwayMinutesPerDay = 600, CanTeachRemotely = true,
                Skills = ["special-education", "medical"], Availability = weekdays,
            };
            db.Staff.Add(teacher);
            var child = new Student
            {
                Id = StudentId.New(), CountyCode = County.Code, SchoolOfRecordId = school.Id, Name = OtherChildName, Gender = "男", BirthDate = new DateOnly(2015, 2, 1),
                DisabilityCategory = DisabilityCategory.Physical, DisabilityGrade = 1, VillageCode = County.Code + "102202", HomeLat = 23.84, HomeLon = 100.08,
            };
            db.Students.Add(child);
            var plan = new Plan { Id = PlanId.New(), StudentId = child.Id, TermId = County.Term, CountyCode = County.Code, SchoolId = school.Id };
            plan.Versions.Add(new PlanVersion
            {
                PlanId = plan.Id, Number = 1, Status = PlanStatus.Active, CreatedBy = "coordinator", CreatedAt = DateTimeOffset.UnixEpoch,
                SubmittedBy = "coordinator", SubmittedAt = DateTimeOffset.UnixEpoch, DecidedBy = "approver", DecidedAt = DateTimeOffset.UnixEpoch, Opinion = "同意",
                HomeVisitsPerWeek = 1, LessonsPerVisit = 2, TeamSize = 1, RequiredSkills = ["medical"],
                Windows = [.. weekdays.Select(w => new WeeklyWindow { Day = w.Day, From = new TimeOnly(9, 0), To = new TimeOnly(17, 0) })],
            });
            db.Plans.Add(plan);
            await db.SaveChangesAsync();
            (OtherChild, OtherTeacher) = (child.Id, teacher.Id);
        }
        Timetable = await (await County.As("approver")).RunAndPublishAsync(County.Term);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => Factory.Dispose();
}

/// <summary>Issue 10 §3: every list of sessions is scoped to the caller.</summary>
public sealed partial class SessionScopeTests(TwoSchools world) : IClassFixture<TwoSchools>
{
    private async Task<List<JsonElement>> SessionsAsAsync(string role) =>
        (await (await world.County.As(role)).GetFromJsonAsync<List<JsonElement>>($"/api/timetables/{world.Timetable}/sessions"))!;

    private static Guid Child(JsonElement s) => s.GetProperty("studentId").GetGuid();

    [Fact]
    public async Task A_coordinator_gets_only_the_sessions_of_their_schools_children()
    {
        var all = await SessionsAsAsync("approver");
        all.Should().Contain(s => Child(s) == world.OtherChild.Value, "the bureau sees the county");

        var coordinators = await SessionsAsAsync("coordinator");

        coordinators.Should().NotBeEmpty();
        coordinators.Select(Child).Distinct().Should().BeSubsetOf(world.OurChildren.Select(c => c.Value));
        coordinators.Should().HaveCount(all.Count(s => world.OurChildren.Contains(new StudentId(Child(s)))));
    }

    [Fact]
    public async Task A_teacher_gets_only_their_own_sessions_and_an_auditor_the_countys()
    {
        var all = await SessionsAsAsync("approver");

        var teachers = await SessionsAsAsync("teacher");
        var auditors = await SessionsAsAsync("auditor");

        teachers.Should().HaveCount(all.Count(s => s.GetProperty("staffIds").EnumerateArray().Any(x => x.GetGuid() == world.County.Teacher.Value)));
        auditors.Should().HaveCount(all.Count);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    private async Task<HttpClient> SignedInAsync(string role)
    {
        var client = world.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var html = await client.GetStringAsync(new Uri("/login", UriKind.Relative));
        var response = await client.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = world.County.Accounts[role], ["Password"] = ServiceFactory.Password, ["__RequestVerificationToken"] = TokenField().Match(html).Groups[1].Value,
        }));
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        return client;
    }

    [Fact]
    public async Task A_coordinator_opening_another_schools_teacher_sees_none_of_that_schools_children()
    {
        // The week the timetable's first sessions fall in.
        var first = (await SessionsAsAsync("approver")).Where(s => Child(s) == world.OtherChild.Value).Select(s => s.GetProperty("date").GetString()).Min()!;
        var page = $"/staff/{world.OtherTeacher}?monday={first}";
        var approvers = await (await SignedInAsync("approver")).GetStringAsync(new Uri(page, UriKind.Relative));
        approvers.Should().Contain(TwoSchools.OtherChildName, "the bureau sees the teacher's whole week");

        var response = await (await SignedInAsync("coordinator")).GetAsync(new Uri(page, UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.Should().NotContain(TwoSchools.OtherChildName);
        html.Should().Contain("只显示本校学生的课次");
        html.Should().NotContain("登记请假", "a coordinator records leave only for staff of their school");
    }
}
