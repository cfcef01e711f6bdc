using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Tests.Features.Setup;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.People;

/// <summary>每日驾车上限: a staff member's daily driving cap, optional, within half an hour and twelve.</summary>
public sealed class StaffTravelCapTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public StaffTravelCapTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task A_cap_is_optional_refused_outside_its_bounds_and_shown_on_the_staff_page()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        object Body(int? cap) => new
        {
            name = "岩老师", department = "Education", schoolId = county.School.Value, skills = new[] { "special-education" }, baseName = "学校",
            baseLat = 23.72, baseLon = 100.05, maxSessionsPerWeek = 6, canTeachRemotely = false, phone = "13912345678",
            availability = new[] { new { day = 2, from = "08:00", to = "17:00" } }, maxTravelMinutesPerDay = cap,
        };

        var refused = await coordinator.PostAsJsonAsync("/api/staff", Body(10));
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refused.ReadJsonAsync()).GetProperty("errors").GetProperty("maxTravelMinutesPerDay")[0].GetString().Should().Be("每日驾车上限须在 30 到 720 分钟之间");

        var created = await coordinator.PostAsJsonAsync("/api/staff", Body(150));
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var staff = await created.ReadJsonAsync();
        staff.GetProperty("maxTravelMinutesPerDay").GetInt32().Should().Be(150);
        var id = staff.GetProperty("id").GetGuid();

        var browser = await _factory.SignedInAsync(county, "coordinator");
        var shown = await browser.GetStringAsync(new Uri($"/staff/{id}", UriKind.Relative));
        shown.Should().Contain("每日驾车上限").And.Contain("150 分钟");
        var edit = await browser.GetStringAsync(new Uri($"/staff/{id}/edit", UriKind.Relative));
        edit.Should().Contain("每日驾车上限（分钟").And.Contain("value=\"150\"");

        var bad = await SetupPages.PostAsync(browser, $"/staff/{id}/edit", EditForm("abc"));
        SetupPages.ErrorBeside(await bad.Content.ReadAsStringAsync(), "MaxTravelMinutesPerDay").Should().Be("每日驾车上限须为分钟数，如 180");
        var cleared = await SetupPages.PostAsync(browser, $"/staff/{id}/edit", EditForm(""));
        cleared.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var listed = await coordinator.GetFromJsonAsync<List<JsonElement>>("/api/staff");
        listed!.Single(s => s.GetProperty("id").GetGuid() == id).GetProperty("maxTravelMinutesPerDay").ValueKind.Should().Be(JsonValueKind.Null, "an empty field removes the cap");
        Dictionary<string, string> EditForm(string cap) => new()
        {
            ["Form.Name"] = "岩老师", ["Form.Department"] = "Education", ["Form.SchoolId"] = county.School.Value.ToString(), ["Form.Phone"] = "139****5678",
            ["Form.Skills"] = "special-education", ["Form.Days[1].On"] = "true", ["Form.Days[1].From"] = "08:00", ["Form.Days[1].To"] = "17:00",
            ["Form.MaxSessionsPerWeek"] = "6", ["Form.MaxTravelMinutesPerDay"] = cap,
        };
    }
}
