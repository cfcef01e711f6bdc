using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Setup;

/// <summary>学校: the bureau adds and renames the county's schools (API and page); names are unique in the county; a school sits at its township.</summary>
public sealed class SchoolTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public SchoolTests(ServiceFactory factory)
    {
        factory.Settings["Access:LoginAttemptsPerMinute"] = "1000";
        _factory = factory;
    }

    private async Task<School> StoredAsync(Guid id)
    {
        using var scope = _factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Schools.AsNoTracking().SingleAsync(s => s.Id == new SchoolId(id));
    }

    [Fact]
    public async Task An_approver_adds_a_school_at_its_townships_place_and_renames_it()
    {
        var county = await _factory.LincangAsync();
        var approver = await county.As("approver");

        var created = await approver.PostAsJsonAsync("/api/schools", new { name = "博尚镇中心完小", kind = "Regular", townshipCode = county.Code + "102" }, ServiceFactory.Json);

        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        created.Headers.Location!.ToString().Should().Be($"/api/schools/{id}");
        var school = await StoredAsync(id);
        (school.Lat, school.Lon, school.Kind, school.CountyCode).Should().Be((23.86, 100.2, SchoolKind.Regular, county.Code));

        var renamed = await approver.PutAsJsonAsync($"/api/schools/{id}", new { name = "博尚镇中心小学", kind = "ResourceCentre", townshipCode = county.Code + "101" }, ServiceFactory.Json);

        renamed.StatusCode.Should().Be(HttpStatusCode.OK, await renamed.Content.ReadAsStringAsync());
        school = await StoredAsync(id);
        (school.Name, school.Kind, school.TownshipCode, school.Lat).Should().Be(("博尚镇中心小学", SchoolKind.ResourceCentre, county.Code + "101", 23.72));
        var again = await approver.PutAsJsonAsync($"/api/schools/{id}", new { name = "博尚镇中心小学", kind = "ResourceCentre", townshipCode = county.Code + "101" }, ServiceFactory.Json);
        again.StatusCode.Should().Be(HttpStatusCode.OK, "a school keeping its own name is no duplicate of itself");
    }

    [Fact]
    public async Task A_school_in_a_township_without_coordinates_sits_at_the_countys_first_located_township()
    {
        var county = await _factory.LincangAsync();
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            if (!await db.Townships.AnyAsync(t => t.Code == county.Code + "199"))
            {
                db.Townships.Add(new Township { Code = county.Code + "199", CountyCode = county.Code, Name = "无坐标乡" });
                await db.SaveChangesAsync();
            }
        }
        var admin = await county.As("admin");
        var created = await admin.PostAsJsonAsync("/api/schools", new { name = "无坐标乡小学", kind = "Regular", townshipCode = county.Code + "199" }, ServiceFactory.Json);
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var school = await StoredAsync((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        (school.Lat, school.Lon).Should().Be((23.72, 100.06), "博尚镇 ({0}101) is the county's first township with a place", county.Code);
    }

    [Fact]
    public async Task A_duplicate_name_is_409_naming_the_field_and_another_countys_township_or_school_is_refused()
    {
        var county = await _factory.LincangAsync();
        var other = await _factory.OtherCountyAsync();
        var approver = await county.As("approver");

        var duplicate = await approver.PostAsJsonAsync("/api/schools", new { name = "临翔区特殊教育学校", kind = "Special", townshipCode = county.Code + "101" }, ServiceFactory.Json);
        duplicate.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var body = await duplicate.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("code").GetString().Should().Be("duplicate_school");
        body.GetRawText().Should().Contain("\"name\"");

        var foreignTown = await approver.PostAsJsonAsync("/api/schools", new { name = "别县小学", kind = "Regular", townshipCode = other.Code + "101" }, ServiceFactory.Json);
        foreignTown.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await SetupPages.FieldErrorsAsync(foreignTown, "townshipCode")).Should().Equal("所选乡镇不在本县");

        var foreignSchool = await approver.PutAsJsonAsync($"/api/schools/{other.School}", new { name = "改名", kind = "Regular", townshipCode = county.Code + "101" }, ServiceFactory.Json);
        foreignSchool.StatusCode.Should().Be(HttpStatusCode.NotFound, "another county's school answers as a missing one");
        (await approver.PutAsJsonAsync($"/api/schools/{Guid.NewGuid()}", new { name = "改名", kind = "Regular", townshipCode = county.Code + "101" }, ServiceFactory.Json))
            .StatusCode.Should().Be(HttpStatusCode.NotFound);

        var bad = await approver.PostAsJsonAsync("/api/schools", new { name = "", kind = 7, townshipCode = "" }, ServiceFactory.Json);
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await SetupPages.FieldErrorsAsync(bad, "name")).Should().Contain("请填写学校名称");
    }

    [Theory]
    [InlineData("coordinator")]
    [InlineData("teacher")]
    [InlineData("auditor")]
    public async Task Only_the_bureau_adds_schools(string role)
    {
        var county = await _factory.LincangAsync();
        var client = await county.As(role);
        (await client.PostAsJsonAsync("/api/schools", new { name = role + "小学", kind = "Regular", townshipCode = county.Code + "101" }, ServiceFactory.Json))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await client.PutAsJsonAsync($"/api/schools/{county.School}", new { name = role + "小学", kind = "Regular", townshipCode = county.Code + "101" }, ServiceFactory.Json))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var page = await PageBrowser.SignedInAsync(_factory, county, role);
        var response = await page.GetAsync(new Uri("/schools", UriKind.Relative));
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().Should().Contain("/denied");
    }

    [Fact]
    public async Task The_page_adds_a_school_and_shows_refusals_beside_the_fields_in_chinese()
    {
        var county = await _factory.LincangAsync();
        var client = await PageBrowser.SignedInAsync(_factory, county, "admin");
        var list = await client.GetStringAsync(new Uri("/schools", UriKind.Relative));
        list.Should().Contain("临翔区特殊教育学校").And.Contain("特殊教育学校").And.Contain("博尚镇").And.Contain("href=\"/schools\"");

        var refused = await SetupPages.PostAsync(client, "/schools", new() { ["Form.Name"] = "", ["Form.Kind"] = "Regular", ["Form.TownshipCode"] = "" });
        refused.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await refused.Content.ReadAsStringAsync();
        SetupPages.ErrorBeside(html, "Name").Should().Be("请填写学校名称");
        SetupPages.ErrorBeside(html, "TownshipCode").Should().Be("请选择学校所在乡镇");

        var duplicate = await SetupPages.PostAsync(client, "/schools", new() { ["Form.Name"] = "临翔区特殊教育学校", ["Form.Kind"] = "Special", ["Form.TownshipCode"] = county.Code + "101" });
        SetupPages.ErrorBeside(await duplicate.Content.ReadAsStringAsync(), "Name").Should().Be("本县已有名为“临翔区特殊教育学校”的学校");

        var added = await SetupPages.PostAsync(client, "/schools", new() { ["Form.Name"] = "南美乡完小", ["Form.Kind"] = "Regular", ["Form.TownshipCode"] = county.Code + "102" });
        added.StatusCode.Should().Be(HttpStatusCode.Redirect, await added.Content.ReadAsStringAsync());
        var after = await client.GetStringAsync(new Uri("/schools", UriKind.Relative));
        after.Should().Contain("已添加学校：南美乡完小").And.Contain("<td>南美乡完小</td><td>普通学校</td><td>南美乡</td>");
    }
}
