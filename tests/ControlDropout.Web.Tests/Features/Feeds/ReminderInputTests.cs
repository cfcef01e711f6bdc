using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.Feeds;

/// <summary>Issue 11: a reminder a calendar app cannot keep is refused naming <c>minutes</c>, and the reminder stays as it was.</summary>
public sealed class ReminderInputTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public ReminderInputTests(ServiceFactory factory) => _factory = factory;

    [Theory]
    [InlineData("""{"minutes":2147483647}""")]
    [InlineData("""{"minutes":-2147483648}""")]
    [InlineData("""{"minutes":0}""")]
    [InlineData("""{"minutes":"x"}""")]
    [InlineData("""{"minutes":1e40}""")]
    public async Task A_reminder_out_of_range_or_of_the_wrong_type_is_refused_naming_minutes(string json)
    {
        var county = await _factory.LincangAsync();
        var teacher = await county.As("teacher");
        (await teacher.PutAsJsonAsync("/api/staff/me/feed/reminder", new { minutes = 30 })).StatusCode.Should().Be(HttpStatusCode.OK);

        var response = await teacher.PutAsync(new Uri("/api/staff/me/feed/reminder", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.ReadJsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Contain("minutes");
        (await teacher.GetFromJsonAsync<JsonElement>("/api/staff/me/feed")).GetProperty("reminderMinutes").GetInt32().Should().Be(30);
    }
}
