using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Features.Imports;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Setup;

/// <summary>
/// Issue 13's "Done when": a county goes from an empty database (its places and one admin, as <c>create-admin</c> leaves it)
/// and its Excel roster to its first approved plan on the pages alone: no API call, no row written by hand.
/// </summary>
public sealed partial class FirstCountyTests : IClassFixture<ServiceFactory>
{
    private const string County = "530921";
    private const string AdminName = "fq-admin";
    private const string SchoolName = "凤庆县特殊教育学校";
    private const string CoordinatorPassword = "Fengqing-Coord-2026";
    private const string ApproverPassword = "Fengqing-Bureau-2026";

    private readonly ServiceFactory _factory;

    public FirstCountyTests(ServiceFactory factory)
    {
        factory.Settings["Access:LoginAttemptsPerMinute"] = "1000";
        _factory = factory;
    }

    [GeneratedRegex("<option value=\"([0-9a-f-]{36})\"[^>]*>凤庆县特殊教育学校</option>")]
    private static partial Regex SchoolOption();

    [GeneratedRegex("<option value=\"([0-9a-f-]{36})\"[^>]*>2026年秋季学期</option>")]
    private static partial Regex TermOption();

    [GeneratedRegex("<a href=\"/children/([0-9a-f-]{36})\">学生000</a>")]
    private static partial Regex ChildLink();

    [GeneratedRegex("name=\"Sha256\" value=\"([0-9a-f]{64})\"")]
    private static partial Regex ShaField();

    [GeneratedRegex("name=\"etag\" value=\"([^\"]+)\"")]
    private static partial Regex EtagField();

    /// <summary>What <c>create-admin --county 530921</c> leaves: the county, its policy, its townships and villages from data/, one admin.</summary>
    private async Task SeedBareCountyAsync()
    {
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var places = CountyPlaces.Read(County)!;
        db.Counties.Add(new County { Code = County, Name = places.CountyName });
        db.Policies.Add(CountyPolicy.LincangDefault(County));
        db.Townships.AddRange(places.Townships);
        db.Villages.AddRange(places.Villages);
        await db.SaveChangesAsync();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var admin = new AppUser { UserName = AdminName, CountyCode = County, DisplayName = "凤庆县管理员" };
        (await users.CreateAsync(admin, ServiceFactory.Password)).Succeeded.Should().BeTrue();
        (await users.AddToRoleAsync(admin, Roles.Admin)).Succeeded.Should().BeTrue();
    }

    private static async Task<string> RedirectedTo(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return response.Headers.Location!.ToString();
    }

    [Fact]
    public async Task A_new_county_goes_from_its_places_and_roster_to_its_first_approved_plan_on_the_pages_alone()
    {
        await SeedBareCountyAsync();
        var admin = await SetupPages.SignedInAsync(_factory, AdminName, ServiceFactory.Password);
        var home = await admin.GetStringAsync(new Uri("/schools", UriKind.Relative));
        home.Should().Contain("href=\"/terms\"").And.Contain("href=\"/users\"").And.Contain("凤山镇");

        // 学校, 学期.
        await RedirectedTo(await SetupPages.PostAsync(admin, "/schools", new() { ["Form.Name"] = SchoolName, ["Form.Kind"] = "Special", ["Form.TownshipCode"] = County + "101" }));
        await RedirectedTo(await SetupPages.PostAsync(admin, "/terms", new() { ["Form.Name"] = "2026年秋季学期", ["Form.FirstDay"] = "2026-09-01", ["Form.LastDay"] = "2027-01-22" }));

        // 账号: a coordinator of the new school and a bureau approver.
        var school = SchoolOption().Match(await admin.GetStringAsync(new Uri("/users", UriKind.Relative))).Groups[1].Value;
        school.Should().NotBeEmpty("the new school is offered for a coordinator");
        await RedirectedTo(await SetupPages.PostAsync(admin, "/users", new()
        {
            ["Form.UserName"] = "fq-coord", ["Form.DisplayName"] = "杨老师", ["Form.Role"] = "coordinator", ["Form.SchoolId"] = school, ["Form.Password"] = CoordinatorPassword,
        }));
        await RedirectedTo(await SetupPages.PostAsync(admin, "/users", new()
        {
            ["Form.UserName"] = "fq-bureau", ["Form.DisplayName"] = "字科长", ["Form.Role"] = "approver", ["Form.Password"] = ApproverPassword,
        }));

        // The coordinator imports the school's roster: check, then commit.
        var coordinator = await SetupPages.SignedInAsync(_factory, "fq-coord", CoordinatorPassword);
        var rows = Rosters.Children(County, SchoolName, 2, new DateOnly(2016, 5, 1));
        rows.ForEach(r => (r["乡镇"], r["村/社区"]) = ("凤山镇", "龙泉社区"));
        var token = PageBrowser.TokenIn(await coordinator.GetStringAsync(new Uri("/imports", UriKind.Relative)));
        var file = new ByteArrayContent(Rosters.Xlsx(rows, Rosters.StudentHeaders));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var upload = new MultipartFormDataContent { { new StringContent("students"), "Kind" }, { file, "Upload", "凤庆县送教名册.xlsx" }, { new StringContent(token), "__RequestVerificationToken" } };
        var checkedPage = await (await coordinator.PostAsync(new Uri("/imports?handler=Check", UriKind.Relative), upload)).Content.ReadAsStringAsync();
        checkedPage.Should().NotContain("id=\"import-errors\"", checkedPage[checkedPage.IndexOf("<main", StringComparison.Ordinal)..]);
        var commit = await coordinator.PostAsync(new Uri("/imports?handler=Commit", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Sha256"] = ShaField().Match(checkedPage).Groups[1].Value, ["__RequestVerificationToken"] = PageBrowser.TokenIn(checkedPage),
        }));
        (await commit.Content.ReadAsStringAsync()).Should().Contain("导入完成");

        // One child: its 残联 registration and the expert committee's assessment.
        var child = ChildLink().Match(await coordinator.GetStringAsync(new Uri("/children", UriKind.Relative))).Groups[1].Value;
        child.Should().NotBeEmpty("the imported child is on the school's list");
        await RedirectedTo(await SetupPages.PostAsync(coordinator, $"/children/{child}/registration", new()
        {
            ["Form.CertificateNo"] = rows[0]["身份证号"] + "11", ["Form.Category"] = "Intellectual", ["Form.Grade"] = "1", ["Form.RegisteredOn"] = "2026-03-02",
        }));
        await RedirectedTo(await SetupPages.PostAsync(coordinator, $"/children/{child}/assessments/new", new()
        {
            ["Form.Date"] = "2026-08-20", ["Form.Conclusion"] = "HomeTeaching", ["Form.DocumentNo"] = "凤教特〔2026〕3号", ["Form.Members"] = "张医生\n杨老师\n李干事",
            ["Form.Note"] = "建议送教上门", ["Form.LastDayOfTeaching"] = "",
        }));

        // The coordinator writes the plan and submits it.
        var editor = await coordinator.GetStringAsync(new Uri($"/plans/edit?student={child}", UriKind.Relative));
        var term = TermOption().Match(editor).Groups[1].Value;
        term.Should().NotBeEmpty("the term added on /terms is offered");
        var planAt = await RedirectedTo(await SetupPages.PostAsync(coordinator, $"/plans/edit?student={child}", new()
        {
            ["Form.TermId"] = term, ["Form.CoursePlan"] = "生活适应", ["Form.Content"] = "认识颜色；练习系扣子", ["Form.Goals"] = "能独立抓握勺子",
            ["Form.Mode"] = "Home", ["Form.HomeVisitsPerWeek"] = "1", ["Form.RemoteSessionsPerWeek"] = "0", ["Form.LessonsPerVisit"] = "2", ["Form.TeamSize"] = "1",
            ["Form.Days[0].On"] = "true", ["Form.Days[0].From"] = "09:00", ["Form.Days[0].To"] = "12:00", ["Form.RequiredSkills"] = "special-education", ["Form.StartDate"] = "",
        }));
        var etag = WebUtility.HtmlDecode(EtagField().Match(await coordinator.GetStringAsync(new Uri(planAt, UriKind.Relative))).Groups[1].Value);
        await RedirectedTo(await SetupPages.PostAsync(coordinator, $"{planAt}?handler=Submit", new() { ["etag"] = etag }, planAt));
        (await coordinator.GetStringAsync(new Uri(planAt, UriKind.Relative))).Should().Contain("已提交审批");

        // The approver made on /users sees it eligible in the queue and approves it.
        var approver = await SetupPages.SignedInAsync(_factory, "fq-bureau", ApproverPassword);
        var queue = await approver.GetStringAsync(new Uri("/approve", UriKind.Relative));
        queue.Should().Contain($"href=\"{planAt}\"").And.Contain("✓ 符合");
        etag = WebUtility.HtmlDecode(EtagField().Match(await approver.GetStringAsync(new Uri(planAt, UriKind.Relative))).Groups[1].Value);
        await RedirectedTo(await SetupPages.PostAsync(approver, $"{planAt}?handler=Approve", new() { ["etag"] = etag, ["Opinion"] = "同意" }, planAt));

        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var plan = await db.Plans.AsNoTracking().Include(p => p.Versions).SingleAsync(p => p.CountyCode == County);
        plan.Versions.MaxBy(v => v.Number)!.Status.Should().Be(PlanStatus.Approved);
        plan.StudentId.Value.ToString().Should().Be(child);
        (await db.Students.CountAsync(s => s.CountyCode == County)).Should().Be(2);
        (await db.Schools.SingleAsync(s => s.CountyCode == County)).Lat.Should().BeApproximately(24.584439, 1e-6, "凤山镇's place from data/");
    }
}
