using System.Net;
using System.Net.Http.Json;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.Auth;

public sealed class LoginTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public LoginTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task Returns_a_bearer_token_that_opens_the_api()
    {
        var county = await _factory.LincangAsync();
        var client = _factory.CreateClient();

        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = county.Accounts["approver"], password = ServiceFactory.Password });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.ReadJsonAsync();
        body.GetProperty("tokenType").GetString().Should().Be("Bearer");
        body.GetProperty("expiresIn").GetInt64().Should().BePositive();
        client.DefaultRequestHeaders.Authorization = new("Bearer", body.GetProperty("accessToken").GetString());
        var me = await (await client.GetAsync("/api/auth/me")).ReadJsonAsync();
        me.GetProperty("role").GetString().Should().Be("approver");
        me.GetProperty("countyCode").GetString().Should().Be("530902");
    }

    [Fact]
    public async Task Rejects_a_wrong_password_with_a_stable_code()
    {
        var county = await _factory.LincangAsync();

        var response = await _factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { userName = county.Accounts["teacher"], password = "wrong-password-123" });

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.ReadJsonAsync()).GetProperty("code").GetString().Should().Be("invalid_credentials");
        (await response.Content.ReadAsStringAsync()).Should().NotContain("at ControlDropout", "no stack trace ever reaches a client");
    }
}

/// <summary>Its own app instance, so that the limiter's window is not shared with other login tests.</summary>
public sealed class LoginRateLimitTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public LoginRateLimitTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task Slows_down_guessing_with_429_and_retry_after()
    {
        var client = _factory.CreateClient();
        HttpResponseMessage? last = null;
        for (var i = 0; i <= Web.Infrastructure.ApiSetup.LoginAttemptsPerMinute; i++)
        {
            last = await client.PostAsJsonAsync("/api/auth/login", new { userName = "nobody", password = "guess-" + i });
        }

        last!.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        last.Headers.RetryAfter.Should().NotBeNull();
        (await last.ReadJsonAsync()).GetProperty("code").GetString().Should().Be("too_many_attempts");
    }
}
