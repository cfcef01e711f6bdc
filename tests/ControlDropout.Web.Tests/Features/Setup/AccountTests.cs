using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Setup;

/// <summary>账号: the county admin creates the county's accounts (never an admin), each tied to what its role needs; the password never leaves the request.</summary>
public sealed class AccountTests : IClassFixture<ServiceFactory>
{
    private const string NewPassword = "Fengqing-2026-ok";

    private readonly ServiceFactory _factory;

    public AccountTests(ServiceFactory factory)
    {
        factory.Settings["Access:LoginAttemptsPerMinute"] = "1000";
        _factory = factory;
    }

    private static object User(string userName, string role, Guid? schoolId = null, Guid? staffId = null, string password = NewPassword) =>
        new { userName, displayName = "新用户", role, schoolId, staffId, password };

    [Fact]
    public async Task The_admin_creates_a_coordinator_who_signs_in_for_that_school_and_the_list_shows_it_without_secrets()
    {
        var county = await _factory.LincangAsync();
        var admin = await county.As("admin");

        var created = await admin.PostAsJsonAsync("/api/users", User("lx-coord-2", "coordinator", county.School.Value));

        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var text = await created.Content.ReadAsStringAsync();
        text.Should().NotContain(NewPassword).And.NotContainAny("passwordHash", "securityStamp");
        var coordinator = _factory.CreateClient();
        var login = await coordinator.PostAsJsonAsync("/api/auth/login", new { userName = "lx-coord-2", password = NewPassword });
        login.StatusCode.Should().Be(HttpStatusCode.OK, "the new account signs in with the password it was given");
        coordinator.DefaultRequestHeaders.Authorization = new("Bearer", (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        var me = await (await coordinator.GetAsync(new Uri("/api/auth/me", UriKind.Relative))).Content.ReadAsStringAsync();
        me.Should().Contain("coordinator").And.Contain(county.School.Value.ToString());

        var list = await admin.GetAsync(new Uri("/api/users", UriKind.Relative));
        list.StatusCode.Should().Be(HttpStatusCode.OK);
        var users = await list.Content.ReadFromJsonAsync<JsonElement>();
        var row = users.EnumerateArray().Single(u => u.GetProperty("userName").GetString() == "lx-coord-2");
        (row.GetProperty("role").GetString(), row.GetProperty("schoolName").GetString()).Should().Be(("coordinator", "临翔区特殊教育学校"));
        users.EnumerateArray().Should().Contain(u => u.GetProperty("userName").GetString() == county.Accounts["teacher"] && u.GetProperty("staffName").GetString() == "李老师");
        users.EnumerateArray().Should().NotContain(u => u.GetProperty("userName").GetString()!.EndsWith("530927", StringComparison.Ordinal), "another county's accounts are not listed");
        (await list.Content.ReadAsStringAsync()).Should().NotContainAny("passwordHash", "securityStamp");

        using var scope = _factory.Services.CreateScope();
        var audit = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Audit.Where(a => a.ObjectType == "AppUser" && a.Action == "added").ToListAsync();
        audit.Should().NotBeEmpty("the account is on the trail");
        audit.Should().NotContain(a => a.Summary.Contains(NewPassword, StringComparison.Ordinal));
        var userId = row.GetProperty("id").GetString();
        var granted = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Audit.SingleAsync(a => a.ObjectId == userId && a.Action == "role-granted");
        (granted.Summary, granted.Actor).Should().Be(($"role: coordinator; school: {county.School}", county.Accounts["admin"]));
    }

    [Fact]
    public async Task The_rules_of_roles_schools_staff_names_and_passwords_are_kept()
    {
        var county = await _factory.LincangAsync();
        var other = await _factory.OtherCountyAsync();
        var admin = await county.As("admin");

        var asAdmin = await admin.PostAsJsonAsync("/api/users", User("lx-admin-2", "admin"));
        asAdmin.StatusCode.Should().Be(HttpStatusCode.BadRequest, "no admin is made through the API");
        (await SetupPages.FieldErrorsAsync(asAdmin, "role")).Should().NotBeEmpty();

        var noSchool = await admin.PostAsJsonAsync("/api/users", User("lx-coord-3", "coordinator"));
        (await SetupPages.FieldErrorsAsync(noSchool, "schoolId")).Should().Equal("协调员须选择所在学校");
        var foreignSchool = await admin.PostAsJsonAsync("/api/users", User("lx-coord-3", "coordinator", other.School.Value));
        foreignSchool.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await SetupPages.FieldErrorsAsync(foreignSchool, "schoolId")).Should().Equal("所选学校不在本县");

        var foreignStaff = await admin.PostAsJsonAsync("/api/users", User("lx-teacher-3", "teacher", staffId: other.Teacher.Value));
        (await SetupPages.FieldErrorsAsync(foreignStaff, "staffId")).Should().Equal("所选人员不在本县");
        var linked = await admin.PostAsJsonAsync("/api/users", User("lx-teacher-3", "teacher", staffId: county.Teacher.Value));
        linked.StatusCode.Should().Be(HttpStatusCode.Conflict, "李老师 already has the teacher account");

        var duplicate = await admin.PostAsJsonAsync("/api/users", User(county.Accounts["auditor"], "auditor"));
        duplicate.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await SetupPages.CodeOfAsync(duplicate)).Should().Be("duplicate_user");

        var badName = await admin.PostAsJsonAsync("/api/users", User("张三", "auditor"));
        (await SetupPages.FieldErrorsAsync(badName, "userName")).Should().Equal("用户名只能用英文字母、数字和 - _ .");

        var weak = await admin.PostAsJsonAsync("/api/users", User("lx-auditor-3", "auditor", password: "short"));
        weak.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var weakText = await weak.Content.ReadAsStringAsync();
        weakText.Should().NotContain("\"short\"", "the password is never echoed");
        (await SetupPages.FieldErrorsAsync(weak, "password")).Should().Contain("密码至少 12 位").And.Contain("密码须含大写字母");

        using var scope = _factory.Services.CreateScope();
        (await scope.ServiceProvider.GetRequiredService<AppDbContext>().Users.AnyAsync(u => u.UserName == "lx-coord-3" || u.UserName == "lx-teacher-3" || u.UserName == "lx-auditor-3" || u.UserName == "lx-admin-2"))
            .Should().BeFalse("nothing refused was stored");
    }

    [Theory]
    [InlineData("approver")]
    [InlineData("coordinator")]
    [InlineData("teacher")]
    [InlineData("auditor")]
    public async Task Only_the_admin_lists_and_creates_accounts(string role)
    {
        var county = await _factory.LincangAsync();
        var client = await county.As(role);
        (await client.GetAsync(new Uri("/api/users", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await client.PostAsJsonAsync("/api/users", User("by-" + role, "auditor"))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var page = await PageBrowser.SignedInAsync(_factory, county, role);
        var response = await page.GetAsync(new Uri("/users", UriKind.Relative));
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().Should().Contain("/denied");
        if (role == "approver")
        {
            (await page.GetStringAsync(new Uri("/schools", UriKind.Relative))).Should().NotContain("href=\"/users\"", "the approver's row has no 账号");
        }
    }

    [Fact]
    public async Task The_page_creates_a_teacher_for_an_unlinked_staff_record_and_never_shows_the_password_back()
    {
        var county = await _factory.LincangAsync();
        var staffId = Guid.NewGuid();
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Staff.Add(new Domain.Staff
            {
                Id = new Domain.StaffId(staffId), CountyCode = county.Code, SchoolId = county.School, Department = Domain.Department.Education, Name = "周老师",
                BaseName = "临翔区特殊教育学校", MaxSessionsPerWeek = 6, Skills = ["special-education"],
            });
            await db.SaveChangesAsync();
        }
        var client = await PageBrowser.SignedInAsync(_factory, county, "admin");
        var page = await client.GetStringAsync(new Uri("/users", UriKind.Relative));
        page.Should().Contain($"<option value=\"{staffId}\">周老师</option>").And.NotContain($"<option value=\"{county.Teacher.Value}\">", "李老师 has an account already");

        var weak = await SetupPages.PostAsync(client, "/users", new()
        {
            ["Form.UserName"] = "lx-zhou", ["Form.DisplayName"] = "周老师", ["Form.Role"] = "teacher", ["Form.StaffId"] = staffId.ToString(), ["Form.Password"] = "weakpassword1",
        });
        weak.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await weak.Content.ReadAsStringAsync();
        SetupPages.ErrorBeside(html, "Password").Should().Contain("密码须含大写字母");
        html.Should().NotContain("weakpassword1", "the password is not shown back");
        html.Should().Contain("value=\"lx-zhou\"", "the rest of what was typed is kept");

        var created = await SetupPages.PostAsync(client, "/users", new()
        {
            ["Form.UserName"] = "lx-zhou", ["Form.DisplayName"] = "周老师", ["Form.Role"] = "teacher", ["Form.StaffId"] = staffId.ToString(), ["Form.Password"] = NewPassword,
        });
        created.StatusCode.Should().Be(HttpStatusCode.Redirect, await created.Content.ReadAsStringAsync());
        (await client.GetStringAsync(new Uri("/users", UriKind.Relative))).Should().Contain("已创建账号：lx-zhou（送教教师）").And.Contain("<td>lx-zhou</td><td>周老师</td><td>送教教师</td><td>周老师</td>");
        var teacher = await SetupPages.SignedInAsync(_factory, "lx-zhou", NewPassword);
        (await teacher.GetAsync(new Uri("/my/week", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
