using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Visits;

/// <summary>Issue 11: a visit record is checked whole at the door, and belongs to its session (§2, §3).</summary>
public sealed partial class VisitInputTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;
    private static RecordsCounty? _seeded;
    private static readonly SemaphoreSlim SeedLock = new(1, 1);

    public VisitInputTests(ServiceFactory factory)
    {
        factory.Settings["Access:LoginAttemptsPerMinute"] = "1000";
        _factory = factory;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    private async Task<RecordsCounty> CountyAsync()
    {
        await SeedLock.WaitAsync();
        try
        {
            return _seeded is { } s && s.County.Factory == _factory ? s : _seeded = await RecordsCounty.SeedAsync(_factory);
        }
        finally
        {
            SeedLock.Release();
        }
    }

    private static string Json(string sessionKey, string date, IEnumerable<object?> staff, string extra = "", string start = "\"09:00\"", string end = "\"10:20\"") =>
        $$"""{"sessionKey":"{{sessionKey}}","date":"{{date}}","start":{{start}},"end":{{end}},"staffPresent":{{JsonSerializer.Serialize(staff)}},"place":"Home","content":"抓握练习","goalsAddressed":["能独立抓握勺子"]{{extra}}}""";

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<Dictionary<string, string[]>> ErrorsAsync(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        var problem = await response.ReadJsonAsync();
        return problem.GetProperty("errors").EnumerateObject().ToDictionary(e => e.Name, e => e.Value.EnumerateArray().Select(x => x.GetString()!).ToArray());
    }

    [Fact]
    public async Task A_record_dated_0001_01_01_is_refused_nothing_is_stored_and_every_list_still_answers()
    {
        var records = await CountyAsync();
        var county = records.County;
        var key = await VisitSeeds.AddSessionAsync(county, records.Ours, new DateOnly(2026, 9, 9), county.Teacher);
        var teacher = await county.As("teacher");

        var errors = await ErrorsAsync(await teacher.PostAsync(new Uri("/api/visits", UriKind.Relative),
            Body(Json(key, "0001-01-01", [county.Teacher.Value], start: "\"06:00\"", end: "\"07:00\""))));
        errors.Should().ContainKey("date");
        (await VisitSeeds.RecordsOfAsync(county, key)).Should().Be(0, "a refused record leaves no row (it used to answer 500 and store it)");

        // A correction within 24 hours to the same date is refused alike, and the record stays as it was.
        Guid id;
        using (var scope = _factory.Services.CreateScope())
        {
            id = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Visits.Where(v => v.SessionKey == records.OurSession).Select(v => v.Id).SingleAsync();
        }
        var put = await teacher.PutAsync(new Uri($"/api/visits/{id}", UriKind.Relative), Body(Json(records.OurSession, "0001-01-01", [county.Teacher.Value])));
        (await ErrorsAsync(put)).Should().ContainKey("date");
        using (var scope = _factory.Services.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<AppDbContext>().Visits.SingleAsync(v => v.Id == id)).Date.Should().Be(new DateOnly(2026, 9, 8));
        }

        foreach (var role in Roles.All)
        {
            (await (await county.As(role)).GetAsync(new Uri("/api/visits", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK, role);
        }
    }

    [Fact]
    public async Task A_record_on_another_day_with_people_not_on_the_team_is_refused_naming_each_field()
    {
        var records = await CountyAsync();
        var county = records.County;
        Guid colleague;
        using (var scope = _factory.Services.CreateScope())
        {
            colleague = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Staff.Where(s => s.CountyCode == county.Code && s.Name == "周老师").Select(s => s.Id.Value).FirstAsync();
        }
        var key = await VisitSeeds.AddSessionAsync(county, records.Ours, new DateOnly(2027, 1, 19), county.Teacher);
        var teacher = await county.As("teacher");

        var errors = await ErrorsAsync(await teacher.PostAsync(new Uri("/api/visits", UriKind.Relative),
            Body(Json(key, "2030-06-01", [county.Teacher.Value, colleague, Guid.NewGuid()]))));
        errors.Keys.Should().Contain(["date", "staffPresent[1]", "staffPresent[2]"]).And.NotContain("staffPresent[0]");

        // Even with a reason, a reschedule stays inside the term.
        var declared = await ErrorsAsync(await teacher.PostAsync(new Uri("/api/visits", UriKind.Relative),
            Body(Json(key, "2030-06-01", [county.Teacher.Value], extra: ",\"rescheduleReason\":\"家长要求\""))));
        declared.Keys.Should().Equal("date");
        (await VisitSeeds.RecordsOfAsync(county, key)).Should().Be(0);
    }

    [Fact]
    public async Task A_declared_reschedule_inside_the_term_is_stored_and_flagged_and_an_undeclared_one_is_refused()
    {
        var records = await CountyAsync();
        var county = records.County;
        var key = await VisitSeeds.AddSessionAsync(county, records.Ours, new DateOnly(2026, 9, 9), county.Teacher);
        var teacher = await county.As("teacher");

        (await ErrorsAsync(await teacher.PostAsync(new Uri("/api/visits", UriKind.Relative), Body(Json(key, "2026-09-10", [county.Teacher.Value])))))
            .Keys.Should().Equal("date");

        var moved = await teacher.PostAsync(new Uri("/api/visits", UriKind.Relative), Body(Json(key, "2026-09-10", [county.Teacher.Value], extra: ",\"rescheduleReason\":\"孩子复诊，改到次日\"")));
        moved.StatusCode.Should().Be(HttpStatusCode.Created, await moved.Content.ReadAsStringAsync());
        var record = await moved.ReadJsonAsync();
        record.GetProperty("flags").EnumerateArray().Select(f => f.GetString()).Should().Contain("rescheduled");
        record.GetProperty("rescheduleReason").GetString().Should().Be("孩子复诊，改到次日");
        record.GetProperty("missedReason").ValueKind.Should().Be(JsonValueKind.Null, "a visit that took place was not missed");
    }

    [Theory]
    [InlineData("content", """ ,"content":"抓握\u0000练习" """)]
    [InlineData("content", """ ,"content":"\u001b[31m" """)]
    [InlineData("guardianName", """ ,"guardianName":"周某\u0001" """)]
    [InlineData("goalsAddressed[0]", """ ,"goalsAddressed":["能独立\u0007抓握"] """)]
    [InlineData("goalsAddressed", """ ,"goalsAddressed":[null] """)]
    [InlineData("place", """ ,"place":7 """)]
    [InlineData("makeUpDate", """ ,"makeUpDate":"0001-01-01" """)]
    [InlineData("missedReason", """ ,"missed":true """)]
    [InlineData("start", "", "\"25:00\"")]
    [InlineData("start", "", "null")]
    [InlineData("end", "", "\"10:00\"", "\"09:00\"")]
    [InlineData("end", "", "\"09:00\"", "\"09:00\"")]
    public async Task A_bad_field_is_refused_by_its_json_path_and_nothing_is_stored(string field, string extra, string start = "\"09:00\"", string end = "\"10:20\"")
    {
        var records = await CountyAsync();
        var county = records.County;
        var key = await VisitSeeds.AddSessionAsync(county, records.Ours, new DateOnly(2026, 9, 9), county.Teacher);
        var teacher = await county.As("teacher");
        var json = Json(key, "2026-09-09", [county.Teacher.Value], extra.Trim(), start, end);
        // The later "content"/"goalsAddressed" of the extra wins over the default one, as JSON readers take the last.
        (await ErrorsAsync(await teacher.PostAsync(new Uri("/api/visits", UriKind.Relative), Body(json)))).Should().ContainKey(field);
        (await VisitSeeds.RecordsOfAsync(county, key)).Should().Be(0);
    }

    [Fact]
    public async Task Huge_text_and_null_staff_are_refused()
    {
        var records = await CountyAsync();
        var county = records.County;
        var key = await VisitSeeds.AddSessionAsync(county, records.Ours, new DateOnly(2026, 9, 9), county.Teacher);
        var teacher = await county.As("teacher");
        var huge = new string('字', 100_000);
        (await ErrorsAsync(await teacher.PostAsync(new Uri("/api/visits", UriKind.Relative), Body(Json(key, "2026-09-09", [county.Teacher.Value], extra: $",\"content\":\"{huge}\"")))))
            .Should().ContainKey("content");
        // A null id cannot even be read as a staff member: the binding names the item.
        (await ErrorsAsync(await teacher.PostAsync(new Uri("/api/visits", UriKind.Relative), Body(Json(key, "2026-09-09", [null])))))
            .Keys.Should().ContainSingle(k => k.StartsWith("staffPresent", StringComparison.Ordinal));
        (await VisitSeeds.RecordsOfAsync(county, key)).Should().Be(0);
    }

    [Fact]
    public async Task The_session_page_refuses_another_day_beside_the_date_and_takes_it_with_a_reason()
    {
        var records = await CountyAsync();
        var county = records.County;
        var key = await VisitSeeds.AddSessionAsync(county, records.Ours, new DateOnly(2026, 9, 9), county.Teacher);
        var teacher = _factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var login = TokenField().Match(await teacher.GetStringAsync(new Uri("/login", UriKind.Relative))).Groups[1].Value;
        (await teacher.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = county.Accounts["teacher"], ["Password"] = ServiceFactory.Password, ["__RequestVerificationToken"] = login,
        }))).StatusCode.Should().Be(HttpStatusCode.Redirect);
        var token = TokenField().Match(await teacher.GetStringAsync(new Uri($"/sessions/{key}", UriKind.Relative))).Groups[1].Value;
        Dictionary<string, string> Form(string? reason) => new()
        {
            ["Form.Date"] = "2026-09-10", ["Form.Start"] = "09:00", ["Form.End"] = "10:20", ["Form.Place"] = "Home", ["Form.Content"] = "抓握练习",
            ["Form.StaffPresent"] = county.Teacher.Value.ToString(), ["Form.RescheduleReason"] = reason ?? "", ["__RequestVerificationToken"] = token,
        };

        var refused = await teacher.PostAsync(new Uri($"/sessions/{key}", UriKind.Relative), new FormUrlEncodedContent(Form(null)));
        refused.StatusCode.Should().Be(HttpStatusCode.OK);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("如已改期，请填写改期原因");
        (await VisitSeeds.RecordsOfAsync(county, key)).Should().Be(0);

        var taken = await teacher.PostAsync(new Uri($"/sessions/{key}", UriKind.Relative), new FormUrlEncodedContent(Form("雨天路断，改到次日")));
        taken.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await VisitSeeds.RecordsOfAsync(county, key)).Should().Be(1);
    }
}
