using System.Net;
using System.Net.Http.Json;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.Auth;

/// <summary>
/// Issue 11: what could never be a user name or a password is refused at the door (400, the field named)
/// before any hashing work is spent on it, and a password with control characters is never set.
/// </summary>
public sealed class CredentialInputTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public CredentialInputTests(ServiceFactory factory)
    {
        factory.Settings["Access:LoginAttemptsPerMinute"] = "1000";
        factory.Settings["Access:FreeFailuresPerAddress"] = "1000";
        _factory = factory;
    }

    private static async Task<IEnumerable<string>> FieldsAsync(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        return (await response.ReadJsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
    }

    [Fact]
    public async Task A_huge_password_or_a_user_name_with_control_characters_is_a_bad_request_not_a_guess()
    {
        var county = await _factory.LincangAsync();
        var client = _factory.CreateClient();
        var name = county.Accounts["auditor"];

        (await FieldsAsync(await client.PostAsJsonAsync("/api/auth/login", new { userName = name, password = new string('x', 100_000) }))).Should().Contain("password");
        (await FieldsAsync(await client.PostAsJsonAsync("/api/auth/login", new { userName = name + "\u0000", password = ServiceFactory.Password }))).Should().Contain("userName");
        (await FieldsAsync(await client.PostAsJsonAsync("/api/auth/login", new { userName = new string('a', 100_000), password = ServiceFactory.Password }))).Should().Contain("userName");

        (await client.PostAsJsonAsync("/api/auth/login", new { userName = name, password = ServiceFactory.Password })).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("Another-password\u0000-2027")]
    [InlineData("Another-password\u001b-2027")]
    public async Task A_new_password_with_control_characters_is_refused_and_the_old_one_still_works(string newPassword)
    {
        var county = await _factory.LincangAsync();
        var auditor = await county.As("auditor");

        (await FieldsAsync(await auditor.PostAsJsonAsync("/api/auth/password", new { currentPassword = ServiceFactory.Password, newPassword }))).Should().Contain("newPassword");

        (await auditor.GetAsync(new Uri("/api/auth/me", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK, "a refused change ends no session");
        (await _factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { userName = county.Accounts["auditor"], password = ServiceFactory.Password }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_huge_new_password_is_refused()
    {
        var county = await _factory.LincangAsync();
        var auditor = await county.As("auditor");

        (await FieldsAsync(await auditor.PostAsJsonAsync("/api/auth/password", new { currentPassword = ServiceFactory.Password, newPassword = "Aa1-" + new string('x', 100_000) })))
            .Should().Contain("newPassword");
    }
}
