using System.Net;
using System.Net.Http.Json;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.People;

public sealed class StaffEndpointTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public StaffEndpointTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task A_coordinator_adds_staff_to_their_school_and_a_second_window_on_one_day_is_refused()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        var body = new
        {
            name = "段老师", department = "Health", schoolId = county.School.Value, skills = new[] { "rehabilitation" }, baseName = "卫生院",
            baseLat = 23.72, baseLon = 100.05, maxSessionsPerWeek = 4, maxAwayMinutesPerDay = 480, canTeachRemotely = false,
            availability = new[] { new { day = 2, from = "08:00", to = "12:00" }, new { day = 2, from = "14:00", to = "17:00" } },
        };

        var refused = await coordinator.PostAsJsonAsync("/api/staff", body);
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refused.ReadJsonAsync()).GetProperty("errors").GetProperty("availability.day2")[0].GetString().Should().Be("星期2只能填写一个时段");

        var created = await coordinator.PostAsJsonAsync("/api/staff", body with { availability = [new { day = 2, from = "08:00", to = "17:00" }] });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var listed = await coordinator.GetFromJsonAsync<List<System.Text.Json.JsonElement>>("/api/staff");
        listed!.Should().Contain(s => s.GetProperty("name").GetString() == "段老师");
    }

    [Fact]
    public async Task A_coordinator_cannot_add_staff_to_another_school()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");

        var response = await coordinator.PostAsJsonAsync("/api/staff", new
        {
            name = "某老师", department = "Education", schoolId = (Guid?)null, skills = new[] { "special-education" }, baseName = "x",
            baseLat = 23.7, baseLon = 100.0, maxSessionsPerWeek = 4, canTeachRemotely = true, availability = Array.Empty<object>(),
        });

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
