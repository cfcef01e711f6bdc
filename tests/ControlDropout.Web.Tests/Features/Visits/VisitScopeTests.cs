using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ControlDropout.Web.Data;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Visits;

/// <summary>Who may record and read visit records, on the API and on the pages alike (issue 10 §1, §3).</summary>
public sealed partial class VisitScopeTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;
    private static RecordsCounty? _seeded;
    private static readonly SemaphoreSlim SeedLock = new(1, 1);

    public VisitScopeTests(ServiceFactory factory)
    {
        factory.Settings["Access:LoginAttemptsPerMinute"] = "1000";
        _factory = factory;
    }

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

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    private async Task<HttpClient> SignedInAsync(string role)
    {
        var county = await _factory.LincangAsync();
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = TokenField().Match(await client.GetStringAsync(new Uri("/login", UriKind.Relative))).Groups[1].Value;
        var response = await client.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = county.Accounts[role], ["Password"] = ServiceFactory.Password, ["__RequestVerificationToken"] = token,
        }));
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        return client;
    }

    private static Dictionary<string, string> VisitForm(string token) => new()
    {
        ["Form.Date"] = "2026-09-10", ["Form.Start"] = "09:00", ["Form.End"] = "10:20", ["Form.Place"] = "Home", ["Form.Content"] = "抓握练习",
        ["Form.GoalsAddressed"] = "能独立抓握勺子", ["Form.GuardianName"] = "吴某", ["__RequestVerificationToken"] = token,
    };

    private async Task<int> RecordsOfAsync(string sessionKey)
    {
        using var scope = _factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Visits.CountAsync(v => v.SessionKey == sessionKey);
    }

    [Fact]
    public async Task A_role_that_may_not_record_is_refused_before_any_session_is_looked_up()
    {
        var records = await CountyAsync();
        foreach (var role in new[] { "admin", "approver", "auditor" })
        {
            foreach (var key in new[] { records.UnrecordedSession, "no-such-session" })
            {
                var response = await (await records.County.As(role)).PostAsJsonAsync("/api/visits", new
                {
                    sessionKey = key, date = "2026-09-10", start = "09:00", end = "10:20", staffPresent = new[] { records.County.Teacher.Value }, place = "Home", content = "x",
                });
                response.StatusCode.Should().Be(HttpStatusCode.Forbidden, $"a {role} records nothing, and a missing session must not answer differently");
                (await response.ReadJsonAsync()).GetProperty("code").GetString().Should().Be("not_allowed");
            }
        }
        (await RecordsOfAsync(records.UnrecordedSession)).Should().Be(0);
    }

    [Fact]
    public async Task An_auditor_reads_a_session_on_its_page_but_the_form_posted_anyway_is_refused_and_nothing_is_stored()
    {
        var records = await CountyAsync();
        var auditor = await SignedInAsync("auditor");
        var page = await auditor.GetAsync(new Uri($"/sessions/{records.UnrecordedSession}", UriKind.Relative));
        page.StatusCode.Should().Be(HttpStatusCode.OK, "an auditor reads everything in the county");
        var html = await page.Content.ReadAsStringAsync();
        html.Should().Contain("吴某某").And.NotContain("id=\"visit-form\"", "an auditor is offered no form");

        var posted = await auditor.PostAsync(new Uri($"/sessions/{records.UnrecordedSession}", UriKind.Relative), new FormUrlEncodedContent(VisitForm(TokenField().Match(html).Groups[1].Value)));
        posted.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await posted.Content.ReadAsStringAsync()).Should().Contain("您的角色无权执行此操作");
        (await RecordsOfAsync(records.UnrecordedSession)).Should().Be(0, "a refused form stores nothing");
    }

    [Fact]
    public async Task A_coordinator_opens_and_records_only_sessions_of_children_of_their_school()
    {
        var records = await CountyAsync();
        var coordinator = await SignedInAsync("coordinator");
        var token = TokenField().Match(await coordinator.GetStringAsync(new Uri($"/sessions/{records.OurSession}", UriKind.Relative))).Groups[1].Value;

        (await coordinator.GetAsync(new Uri($"/sessions/{records.TheirSession}", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var posted = await coordinator.PostAsync(new Uri($"/sessions/{records.TheirSession}", UriKind.Relative), new FormUrlEncodedContent(VisitForm(token)));
        posted.StatusCode.Should().Be(HttpStatusCode.NotFound, "another school's session is as absent as a missing one");
        (await RecordsOfAsync(records.TheirSession)).Should().Be(1, "only the record seeded before");
    }

    [Fact]
    public async Task A_coordinator_sees_records_and_flags_only_for_children_of_their_school()
    {
        var records = await CountyAsync();
        List<Guid> ChildrenOf(List<JsonElement>? visits) => [.. visits!.Select(v => v.GetProperty("studentId").GetGuid())];

        var coordinatorApi = ChildrenOf(await (await records.County.As("coordinator")).GetFromJsonAsync<List<JsonElement>>("/api/visits?flagged=true"));
        coordinatorApi.Should().Contain(records.Ours.Value).And.NotContain(records.Theirs.Value);
        var auditorApi = ChildrenOf(await (await records.County.As("auditor")).GetFromJsonAsync<List<JsonElement>>("/api/visits?flagged=true"));
        auditorApi.Should().Contain([records.Ours.Value, records.Theirs.Value], "an auditor reads the whole county");

        var coordinatorPage = await (await SignedInAsync("coordinator")).GetStringAsync(new Uri("/inspect/flags", UriKind.Relative));
        coordinatorPage.Should().Contain($"/children/{records.Ours}").And.NotContain($"/children/{records.Theirs}").And.NotContain("郑某某");
        var auditorPage = await (await SignedInAsync("auditor")).GetStringAsync(new Uri("/inspect/flags", UriKind.Relative));
        auditorPage.Should().Contain($"/children/{records.Ours}").And.Contain($"/children/{records.Theirs}");
    }

    [Fact]
    public async Task A_teacher_sees_the_records_of_their_own_sessions_and_no_flag_list()
    {
        var records = await CountyAsync();
        var mine = await (await records.County.As("teacher")).GetFromJsonAsync<List<JsonElement>>("/api/visits");
        mine!.Select(v => v.GetProperty("sessionKey").GetString()).Should().Contain(records.OurSession).And.NotContain(records.TheirSession);
        var teacher = await SignedInAsync("teacher");
        (await teacher.GetAsync(new Uri($"/sessions/{records.TheirSession}", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var flags = await teacher.GetAsync(new Uri("/inspect/flags", UriKind.Relative));
        flags.StatusCode.Should().Be(HttpStatusCode.Redirect);
        flags.Headers.Location!.ToString().Should().Contain("/denied");
    }
}
