using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ControlDropout.Web.Tests.Pages;

/// <summary>
/// A county with something behind every kind of link: children with active plans, a plan waiting for a
/// decision and a draft, a published timetable whose sessions are the teacher account's, a past week
/// with one visit recorded (and others missed), and a staff member's week.
/// </summary>
public sealed class LinkCrawlerFixture : IAsyncLifetime
{
    public ServiceFactory Factory { get; } = new();
    public TestCounty County { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Five roles sign in from one address: more than a desk's per-minute limit.
        Factory.Settings["Access:LoginAttemptsPerMinute"] = "1000";
        County = await Factory.LincangAsync();
        await SchedulableCounty.MakeTheTeacherSchedulableAsync(County);
        await SchedulableCounty.AddAsync(County, 3);

        var coordinator = await County.As("coordinator");
        var waiting = (await coordinator.CreatePlanAsync(County.Eligible, County.Term)).Plan!;
        (await coordinator.ActAsync(waiting, "submit")).EnsureSuccessStatusCode();
        (await coordinator.CreatePlanAsync(County.SecondEligible, County.Term)).Response.EnsureSuccessStatusCode();

        var timetable = await (await County.As("approver")).RunAndPublishAsync(County.Term);

        // Two weeks on: last week's sessions are past; one of them was taught and recorded as scheduled.
        Factory.Clock.Advance(TimeSpan.FromDays(12));
        var approver = await County.As("approver");
        var sessions = (await approver.GetFromJsonAsync<List<JsonElement>>($"/api/timetables/{timetable}/sessions?week=2026-W38"))!;
        var taught = sessions.OrderBy(s => s.GetProperty("date").GetString()).ThenBy(s => s.GetProperty("start").GetString()).First();
        var teacher = await County.As("teacher");
        (await teacher.PostAsJsonAsync("/api/visits", new
        {
            sessionKey = taught.GetProperty("sessionKey").GetString(), date = taught.GetProperty("date").GetString(),
            start = taught.GetProperty("start").GetString()![..5], end = taught.GetProperty("end").GetString()![..5],
            staffPresent = taught.GetProperty("staffIds").EnumerateArray().Select(x => x.GetGuid()).ToArray(), place = "Home",
            content = "抓握练习", goalsAddressed = new[] { "能独立抓握勺子" }, guardianName = "周某",
        })).EnsureSuccessStatusCode();
    }

    public Task DisposeAsync() => Factory.DisposeAsync().AsTask();
}

/// <summary>Issue 12 §8: signed in as each role, every link on every page reachable from the home page resolves.</summary>
public sealed class LinkCrawlerTests(LinkCrawlerFixture fixture, ITestOutputHelper output) : IClassFixture<LinkCrawlerFixture>
{
    /// <summary>Route patterns each role's crawl must reach, so that a crawl that found nothing cannot pass.</summary>
    private static readonly Dictionary<string, string[]> MustReach = new()
    {
        [Roles.Approver] = ["/approve", "/plans/{id}", "/timetable", "/children/{id}", "/staff/{id}", "/closures", "/inspect"],
        [Roles.Admin] = ["/approve", "/plans/{id}", "/timetable", "/children/{id}", "/staff/{id}"],
        [Roles.Coordinator] = ["/children", "/children/{id}", "/plans/{id}", "/staff/{id}", "/closures", "/inspect"],
        [Roles.Teacher] = ["/my/week", "/sessions/{id}", "/my/calendar"],
        [Roles.Auditor] = ["/inspect", "/inspect/flags", "/inspect/downloads", "/inspect/audit"],
    };

    [Theory]
    [InlineData(Roles.Approver)]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Coordinator)]
    [InlineData(Roles.Teacher)]
    [InlineData(Roles.Auditor)]
    public async Task Every_link_a_role_is_shown_resolves(string role)
    {
        var client = await PageBrowser.SignedInAsync(fixture.Factory, fixture.County, role);
        var report = await new LinkCrawler(client).CrawlAsync("/");

        output.WriteLine($"{role}: {report.Fetched.Count} addresses fetched{(report.Capped ? " (capped)" : "")}");
        foreach (var (url, (status, took)) in report.Fetched.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {status} {url} ({took.TotalMilliseconds:0} ms)");
        }
        report.Patterns.Should().Contain(MustReach[role], "the seeded county has something behind each of the role's pages");
        // One line per broken address, each with the pages that link to it.
        string.Join(Environment.NewLine, report.Broken).Should().BeEmpty($"every link shown to the {role} opens (no 404, no 500, no page the role may not see)");
    }

    [Fact]
    public async Task The_crawler_reports_a_missing_page_a_forbidden_one_and_where_each_was_linked()
    {
        var teacher = await PageBrowser.SignedInAsync(fixture.Factory, fixture.County, Roles.Teacher);
        var missing = await new LinkCrawler(teacher).CrawlAsync("/no-such-page");
        missing.Broken.Should().ContainSingle().Which.Should().BeEquivalentTo(new BrokenLink("/no-such-page", "404 NotFound", ["(start)"]));
        var forbidden = await new LinkCrawler(teacher).CrawlAsync("/children");
        forbidden.Broken.Should().ContainSingle().Which.Problem.Should().Contain("/denied");

        var page = new Uri("http://localhost/children?q=x");
        var links = LinkCrawler.LinksIn("""
            <a href="/staff/1#top">a</a> <a href="?monday=2026-09-14&amp;x=1">b</a> <a href="https://elsewhere.example/">c</a>
            <a href="webcal://localhost/feeds/t.ics">d</a> <a href="mailto:a@b.c">e</a> <img src="/qr.svg">
            <form method="post" action="/logout"><button>退出</button></form>
            <form method="get" action="/find"><input name="q" value="李"><select name="s"><option value="">全部</option><option value="A" selected="selected">甲</option></select></form>
            """, page).Select(u => u.AbsoluteUri).ToList();
        links.Should().Equal(
            "http://localhost/staff/1", "http://localhost/children?monday=2026-09-14&x=1", "https://elsewhere.example/",
            "http://localhost/feeds/t.ics", "http://localhost/qr.svg", "http://localhost/find?q=%E6%9D%8E&s=A");
        LinkCrawler.EventLinksIn("BEGIN:VEVENT\r\nURL:http://localhost/sessions/01900000-0000-7000-8000-00000000\r\n 0002:home:0:2026-W37\r\nEND:VEVENT\r\n", page)
            .Select(u => u.AbsoluteUri).Should().Equal("http://localhost/sessions/01900000-0000-7000-8000-000000000002:home:0:2026-W37");
        LinkCrawler.Pattern(new Uri("http://localhost/staff/01a23492-a80d-7ffc-beac-ea85a868af5e?monday=2026-09-14&handler=File")).Should().Be("/staff/{id}?handler=File&monday={v}");
    }
}
