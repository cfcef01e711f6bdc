using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ControlDropout.Web.Data;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Auth;

/// <summary>
/// Signing out, a password change and an admin's "sign out everywhere" end every cookie and token of
/// the user at once (issue 10 §4). Each test signs in as a user of its own, so that the tokens the
/// factory keeps for the seeded accounts stay alive for other tests.
/// </summary>
public sealed partial class SessionEndTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public SessionEndTests(ServiceFactory factory)
    {
        // Every test signs in several times from one address: more than a desk's per-minute limit.
        factory.Settings["Access:LoginAttemptsPerMinute"] = "1000";
        _factory = factory;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    /// <summary>A fresh user of the county with the given role; returns its name and id.</summary>
    private async Task<(string Name, string Id)> NewUserAsync(TestCounty county, string role)
    {
        using var scope = _factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = $"{role}-{Guid.NewGuid():N}"[..24], CountyCode = county.Code, SchoolId = role == Roles.Coordinator ? county.School : null };
        (await users.CreateAsync(user, ServiceFactory.Password)).Succeeded.Should().BeTrue();
        (await users.AddToRoleAsync(user, role)).Succeeded.Should().BeTrue();
        return (user.UserName, user.Id);
    }

    private async Task<HttpResponseMessage> LoginAsync(string userName, string password) =>
        await _factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { userName, password });

    private async Task<HttpClient> BearerAsync(string userName)
    {
        var login = await LoginAsync(userName, ServiceFactory.Password);
        login.StatusCode.Should().Be(HttpStatusCode.OK);
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await login.ReadJsonAsync()).GetProperty("accessToken").GetString());
        return client;
    }

    private HttpClient Browser() => _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<string> TokenAsync(HttpClient client, string path) =>
        TokenField().Match(await client.GetStringAsync(new Uri(path, UriKind.Relative))).Groups[1].Value;

    /// <summary>Signs in on the page and returns the browser and the raw <c>cd.session</c> cookie it got.</summary>
    private async Task<(HttpClient Browser, string Cookie)> SignedInOnThePageAsync(string userName)
    {
        var browser = Browser();
        var token = await TokenAsync(browser, "/login");
        var response = await browser.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName, ["Password"] = ServiceFactory.Password, ["__RequestVerificationToken"] = token,
        }));
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("cd.session=", StringComparison.Ordinal));
        return (browser, cookie[..cookie.IndexOf(';', StringComparison.Ordinal)]);
    }

    private async Task<HttpResponseMessage> ReplayAsync(string cookie, string path)
    {
        var replay = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("Cookie", cookie);
        return await replay.SendAsync(request);
    }

    [Fact]
    public async Task A_cookie_replayed_after_signing_out_is_sent_to_sign_in()
    {
        var county = await _factory.LincangAsync();
        var (name, _) = await NewUserAsync(county, Roles.Coordinator);
        var (browser, cookie) = await SignedInOnThePageAsync(name);
        (await ReplayAsync(cookie, "/children")).StatusCode.Should().Be(HttpStatusCode.OK, "the cookie works while signed in");

        var signOut = await browser.PostAsync(new Uri("/logout", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = await TokenAsync(browser, "/logout") }));
        signOut.StatusCode.Should().Be(HttpStatusCode.Redirect);

        var replayed = await ReplayAsync(cookie, "/children");
        replayed.StatusCode.Should().Be(HttpStatusCode.Redirect, "a copied cookie dies with the sign-out");
        replayed.Headers.Location!.ToString().Should().Contain("/login");
        replayed.Headers.GetValues("Set-Cookie").Should().Contain(c => c.StartsWith("cd.session=;", StringComparison.Ordinal), "the dead cookie is dropped");
    }

    [Fact]
    public async Task Signing_out_on_the_api_ends_the_token_and_the_users_page_cookies()
    {
        var county = await _factory.LincangAsync();
        var (name, _) = await NewUserAsync(county, Roles.Approver);
        var (_, cookie) = await SignedInOnThePageAsync(name);
        var bearer = await BearerAsync(name);
        (await bearer.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await bearer.PostAsync("/api/auth/logout", null)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await bearer.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await ReplayAsync(cookie, "/approve")).Headers.Location!.ToString().Should().Contain("/login");
        (await (await BearerAsync(name)).GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.OK, "signing in again works");
    }

    [Fact]
    public async Task A_bearer_token_stops_working_after_a_password_change()
    {
        var county = await _factory.LincangAsync();
        var (name, _) = await NewUserAsync(county, Roles.Auditor);
        var bearer = await BearerAsync(name);
        var other = await BearerAsync(name);
        const string NewPassword = "Another-password-2027";

        var wrong = await bearer.PostAsJsonAsync("/api/auth/password", new { currentPassword = "not-my-password", newPassword = NewPassword });
        wrong.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await wrong.ReadJsonAsync()).GetProperty("errors").TryGetProperty("currentPassword", out _).Should().BeTrue();
        var weak = await bearer.PostAsJsonAsync("/api/auth/password", new { currentPassword = ServiceFactory.Password, newPassword = "short" });
        weak.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bearer.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.OK, "a refused change ends nothing");

        var changed = await bearer.PostAsJsonAsync("/api/auth/password", new { currentPassword = ServiceFactory.Password, newPassword = NewPassword });
        changed.StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await bearer.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await other.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "every token of the user ends, not only the one that changed it");
        (await LoginAsync(name, ServiceFactory.Password)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await LoginAsync(name, NewPassword)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_admin_signs_a_user_of_the_county_out_everywhere_and_nobody_else_can()
    {
        var county = await _factory.LincangAsync();
        var other = await _factory.OtherCountyAsync();
        var (name, id) = await NewUserAsync(county, Roles.Coordinator);
        var victim = await BearerAsync(name);
        var (_, cookie) = await SignedInOnThePageAsync(name);
        var path = $"/api/users/{id}/sign-out-everywhere";

        (await (await other.As("admin")).PostAsync(path, null)).StatusCode.Should().Be(HttpStatusCode.NotFound, "another county's admin cannot see the user");
        (await (await county.As("approver")).PostAsync(path, null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await (await county.As("admin")).PostAsync($"/api/users/{Guid.NewGuid()}/sign-out-everywhere", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await victim.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.OK, "refused calls end nothing");

        (await (await county.As("admin")).PostAsync(path, null)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await victim.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await ReplayAsync(cookie, "/children")).Headers.Location!.ToString().Should().Contain("/login");
    }

    [Fact]
    public async Task Me_says_who_the_token_is()
    {
        var county = await _factory.LincangAsync();

        var me = await (await (await county.As("teacher")).GetAsync("/api/auth/me")).ReadJsonAsync();

        me.GetProperty("userName").GetString().Should().Be(county.Accounts["teacher"]);
        me.GetProperty("role").GetString().Should().Be("teacher");
        me.GetProperty("countyCode").GetString().Should().Be(county.Code);
        me.GetProperty("staffId").GetString().Should().Be(county.Teacher.Value.ToString());
        me.GetProperty("schoolId").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
    }
}
