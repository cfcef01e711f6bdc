using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Calendar;

/// <summary>Terms, closures and leave with dates no calendar has: refused at the door, nothing stored (issue 11).</summary>
public sealed class TermInputTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public TermInputTests(ServiceFactory factory) => _factory = factory;

    private async Task<(int Terms, int Closures, int Leave)> CountsAsync()
    {
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return (await db.Terms.CountAsync(), await db.Closures.CountAsync(), await db.Leave.CountAsync());
    }

    private static async Task<string[]> FieldsAsync(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. body.GetProperty("errors").EnumerateObject().Select(e => e.Name)];
    }

    [Theory]
    [InlineData("{\"name\":\"无日期学期\"}", "firstDay")]
    [InlineData("{\"name\":\"远古学期\",\"firstDay\":\"0001-01-01\",\"lastDay\":\"0001-01-01\"}", "firstDay")]
    [InlineData("{\"name\":\"未来学期\",\"firstDay\":\"9999-12-01\",\"lastDay\":\"9999-12-31\"}", "lastDay")]
    [InlineData("{\"name\":\"太长的学期\",\"firstDay\":\"2026-09-01\",\"lastDay\":\"2027-09-01\"}", "lastDay")]
    [InlineData("{\"name\":\"\",\"firstDay\":\"2026-09-01\",\"lastDay\":\"2027-01-20\"}", "name")]
    [InlineData("{\"name\":\"学期\\u0000\",\"firstDay\":\"2026-09-01\",\"lastDay\":\"2027-01-20\"}", "name")]
    public async Task A_term_outside_any_real_calendar_is_refused_naming_the_field(string body, string field)
    {
        var county = await _factory.LincangAsync();
        var before = await CountsAsync();
        var response = await (await county.As("approver")).PostAsync(new Uri("/api/terms", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        (await FieldsAsync(response)).Should().Contain(field);
        (await CountsAsync()).Should().Be(before);
    }

    [Theory]
    [InlineData("0001-01-01", "2026-09-30", "firstDay")]
    [InlineData("2026-08-01", "2026-08-05", "firstDay")]
    [InlineData("2026-09-28", "9999-12-31", "lastDay")]
    public async Task A_closure_outside_its_term_is_refused(string first, string last, string field)
    {
        var county = await _factory.LincangAsync();
        var before = await CountsAsync();
        var response = await (await county.As("approver")).PostAsJsonAsync($"/api/terms/{county.Term}/closures", new { firstDay = first, lastDay = last, reason = "测试" });
        (await FieldsAsync(response)).Should().Contain(field);
        (await CountsAsync()).Should().Be(before);
    }

    [Theory]
    [InlineData("0001-01-01", "0001-01-02", "firstDay")]
    [InlineData("2030-06-01", "2030-06-02", "firstDay")]
    public async Task Leave_outside_every_term_is_refused(string first, string last, string field)
    {
        var county = await _factory.LincangAsync();
        var before = await CountsAsync();
        var response = await (await county.As("approver")).PostAsJsonAsync($"/api/staff/{county.Teacher}/leave", new { firstDay = first, lastDay = last, reason = "病假" });
        (await FieldsAsync(response)).Should().Contain(field);
        (await CountsAsync()).Should().Be(before);
    }
}
