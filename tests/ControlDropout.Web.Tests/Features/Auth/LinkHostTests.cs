using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Feeds;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Auth;

/// <summary>The shipped settings: <c>AllowedHosts</c> of loopback names, no public base address set.</summary>
public sealed class ShippedHostSettings : IDisposable
{
    public ServiceFactory Factory { get; } = new();

    public void Dispose() => Factory.Dispose();
}

/// <summary>A deployment that lets any Host through (<c>AllowedHosts: *</c>) and sets its public address.</summary>
public sealed class AnyHostSettings : IDisposable
{
    public const string PublicBaseUrl = "https://songjiao.example.cn";

    public ServiceFactory Factory { get; } = new();

    public AnyHostSettings()
    {
        Factory.Settings["AllowedHosts"] = "*";
        Factory.Settings["App:PublicBaseUrl"] = PublicBaseUrl;
    }

    public void Dispose() => Factory.Dispose();
}

/// <summary>
/// Absolute links come from the configured public address only, never from the request's <c>Host</c>
/// (issue 10 §5): a reset made with <c>Host: evil.example</c> used to put <c>http://evil.example/sessions/…</c>
/// into the cached feed for an hour.
/// </summary>
public abstract class LinkHostTests
{
    private const string Evil = "evil.example";
    private readonly ServiceFactory _factory;
    private readonly bool _anyHost;

    protected LinkHostTests(ServiceFactory factory, bool anyHost)
    {
        _factory = factory;
        _anyHost = anyHost;
    }

    /// <summary>A published timetable with one coming session of the county's teacher, written directly (no solver run).</summary>
    private async Task PublishOneSessionAsync(TestCounty county)
    {
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var timetable = new Timetable
        {
            CountyCode = county.Code, TermId = county.Term, RunId = Guid.Empty, Status = TimetableStatus.Published,
            CreatedAt = _factory.Clock.GetUtcNow(), TemplateJson = "{}", ScenarioJson = "{}",
        };
        timetable.Sessions.Add(new TimetableSession
        {
            TimetableId = timetable.Id, SessionKey = $"{county.Eligible}:home:0:2026-W38", StudentId = county.Eligible, Mode = SessionModes.Home, Week = "2026-W38",
            Date = new DateOnly(2026, 9, 15), Start = new TimeOnly(9, 30), End = new TimeOnly(10, 50), StaffIds = [county.Teacher.Value], ChangedAt = _factory.Clock.GetUtcNow(),
        });
        db.Timetables.Add(timetable);
        await db.SaveChangesAsync();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, AuthenticationHeaderValue? bearer, string? host)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = bearer;
        if (host is not null)
        {
            request.Headers.Host = host;
        }
        return await _factory.CreateClient().SendAsync(request);
    }

    private static async Task<string> AnswerAsync(HttpResponseMessage response) =>
        response.Headers + "\n" + response.Content.Headers + "\n" + Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());

    private void ShouldBeServedOrRefused(HttpResponseMessage response, string what)
    {
        if (_anyHost)
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK, $"{what} is served whatever the Host");
        }
        else
        {
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest, $"{what} with a Host outside AllowedHosts is refused");
        }
    }

    [Fact]
    public async Task A_forged_host_never_appears_in_any_link_answer_or_feed()
    {
        var county = await _factory.LincangAsync();
        await PublishOneSessionAsync(county);
        var bearer = (await county.As("teacher")).DefaultRequestHeaders.Authorization;
        var expectedBase = _factory.Services.GetRequiredService<PublicAddress>().Base;
        var answers = new List<(string What, string Text)>();

        var links = await SendAsync(HttpMethod.Get, "/api/staff/me/feed", bearer, Evil);
        ShouldBeServedOrRefused(links, "the subscription links");
        answers.Add(("links", await AnswerAsync(links)));
        var qr = await SendAsync(HttpMethod.Get, "/api/staff/me/feed/qr.svg", bearer, Evil);
        ShouldBeServedOrRefused(qr, "the QR code");
        answers.Add(("qr", await AnswerAsync(qr)));
        var reset = await SendAsync(HttpMethod.Post, $"/api/staff/{county.Teacher}/feed/reset", bearer, Evil);
        ShouldBeServedOrRefused(reset, "the feed reset");
        answers.Add(("reset", await AnswerAsync(reset)));

        var honest = await (await SendAsync(HttpMethod.Get, "/api/staff/me/feed", bearer, null)).ReadJsonAsync();
        var url = honest.GetProperty("url").GetString()!;
        url.Should().StartWith(expectedBase + "/feeds/");
        honest.GetProperty("webcalUrl").GetString().Should().Be("webcal://" + url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..]);
        var feedPath = new Uri(url).PathAndQuery;
        // The forged feed first: it is the one that would be cached and served to everyone after.
        var forgedFeed = await SendAsync(HttpMethod.Get, feedPath, null, Evil);
        ShouldBeServedOrRefused(forgedFeed, "the feed");
        answers.Add(("forged feed", await AnswerAsync(forgedFeed)));
        var feed = await SendAsync(HttpMethod.Get, feedPath, null, null);
        var feedText = await AnswerAsync(feed);
        answers.Add(("feed", feedText));

        foreach (var (what, text) in answers)
        {
            text.Should().NotContain(Evil, $"the {what} answer takes no link from the Host header");
        }
        feedText.Should().Contain($"URL:{expectedBase}/sessions/");
        var honestQr = await (await SendAsync(HttpMethod.Get, "/api/staff/me/feed/qr.svg", bearer, null)).Content.ReadAsStringAsync();
        if (_anyHost)
        {
            (await qr.Content.ReadAsStringAsync()).Should().NotBe(honestQr, "the reset since gave a new link")
                .And.StartWith("<svg");
        }
        honestQr.Should().StartWith("<svg");
    }

    [Fact]
    public async Task Links_come_from_the_public_address_and_not_from_the_request()
    {
        var county = await _factory.LincangAsync();
        var bearer = (await county.As("teacher")).DefaultRequestHeaders.Authorization;

        var links = await (await SendAsync(HttpMethod.Get, "/api/staff/me/feed", bearer, "localhost:1234")).ReadJsonAsync();

        var expected = _anyHost ? AnyHostSettings.PublicBaseUrl : _factory.Services.GetRequiredService<PublicAddress>().Base;
        links.GetProperty("url").GetString().Should().StartWith(expected + "/feeds/");
        links.GetProperty("url").GetString().Should().NotContain(":1234");
    }
}

public sealed class LinkHostWithShippedSettingsTests(ShippedHostSettings settings) : LinkHostTests(settings.Factory, anyHost: false), IClassFixture<ShippedHostSettings>;

public sealed class LinkHostWithAnyHostAllowedTests(AnyHostSettings settings) : LinkHostTests(settings.Factory, anyHost: true), IClassFixture<AnyHostSettings>;
