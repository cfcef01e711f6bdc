using System.Net;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ControlDropout.Web.Tests.Features.Auth;

/// <summary>Answers that carry personal data are never kept by a browser or proxy (issue 10 §7); static files may be.</summary>
public sealed class CachingHeaderTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public CachingHeaderTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task Every_api_answer_says_no_store()
    {
        var county = await _factory.LincangAsync();
        var approver = await county.As("approver");
        var anonymous = _factory.CreateClient();

        var answers = new Dictionary<string, HttpResponseMessage>
        {
            ["GET /api/auth/me"] = await approver.GetAsync("/api/auth/me"),
            ["GET /api/plans"] = await approver.GetAsync("/api/plans"),
            [$"GET /api/students/{county.Eligible}"] = await approver.GetAsync($"/api/students/{county.Eligible}"),
            ["GET /api/staff/me/feed (404)"] = await approver.GetAsync("/api/staff/me/feed"),
            ["GET /api/plans anonymous (401)"] = await anonymous.GetAsync("/api/plans"),
        };

        foreach (var (what, response) in answers)
        {
            response.Headers.CacheControl?.NoStore.Should().BeTrue($"{what} ({(int)response.StatusCode}) must not be stored");
        }
        answers["GET /api/auth/me"].StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Every_page_says_no_store_and_static_files_do_not()
    {
        var browser = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var login = await browser.GetAsync(new Uri("/login", UriKind.Relative));
        var redirect = await browser.GetAsync(new Uri("/children", UriKind.Relative));
        var missing = await browser.GetAsync(new Uri("/no-such-page", UriKind.Relative));
        var css = await browser.GetAsync(new Uri("/css/site.css", UriKind.Relative));

        login.Headers.CacheControl!.NoStore.Should().BeTrue();
        redirect.Headers.CacheControl!.NoStore.Should().BeTrue();
        missing.Headers.CacheControl!.NoStore.Should().BeTrue();
        css.StatusCode.Should().Be(HttpStatusCode.OK);
        (css.Headers.CacheControl?.NoStore ?? false).Should().BeFalse("static files carry no personal data");
    }
}
