using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ControlDropout.Web.Data;
using ControlDropout.Web.Features.Auth;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Auth;

/// <summary>
/// Guessing is slowed with growing waits per user name and address, never by a lock-out a stranger
/// can trigger (ASVS 2.2.1), and unknown user names look exactly like wrong passwords (issue 10 §4).
/// </summary>
public sealed class GuessingTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public GuessingTests(ServiceFactory factory)
    {
        // The per-minute flood cap is not what these tests are about.
        factory.Settings["Access:LoginAttemptsPerMinute"] = "1000";
        factory.Settings["Access:FreeFailuresPerAddress"] = "1000";
        _factory = factory;
    }

    private Task<HttpResponseMessage> LoginAsync(string userName, string password) =>
        _factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { userName, password });

    private async Task<string> NewUserAsync(string county)
    {
        using var scope = _factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = $"guessed-{Guid.NewGuid():N}"[..20], CountyCode = county };
        (await users.CreateAsync(user, ServiceFactory.Password)).Succeeded.Should().BeTrue();
        (await users.AddToRoleAsync(user, Roles.Auditor)).Succeeded.Should().BeTrue();
        return user.UserName;
    }

    /// <summary>The body without its per-request trace id.</summary>
    private static async Task<string> BodyAsync(HttpResponseMessage response)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        body.Remove("traceId");
        return body.ToJsonString();
    }

    [Fact]
    public async Task An_unknown_user_name_gets_the_same_answer_as_a_wrong_password()
    {
        var county = await _factory.LincangAsync();

        var wrong = await LoginAsync(county.Accounts["teacher"], "wrong-password-123");
        var unknown = await LoginAsync("nobody-" + Guid.NewGuid().ToString("N")[..8], "wrong-password-123");

        unknown.StatusCode.Should().Be(wrong.StatusCode).And.Be(HttpStatusCode.Unauthorized);
        (await BodyAsync(unknown)).Should().Be(await BodyAsync(wrong)).And.Contain("invalid_credentials");
        unknown.Content.Headers.ContentType.Should().Be(wrong.Content.Headers.ContentType);
    }

    [Fact]
    public async Task An_unknown_user_name_costs_as_much_time_as_a_wrong_password()
    {
        var name = await NewUserAsync((await _factory.LincangAsync()).Code);
        await LoginAsync(name, "warm-up-attempt");
        var known = new List<double>();
        var unknown = new List<double>();
        for (var i = 0; i < 9; i++)
        {
            // Past every wait, so that each attempt is really checked.
            _factory.Clock.Advance(LoginThrottle.ForgetAfter);
            var watch = Stopwatch.StartNew();
            (await LoginAsync(name, "wrong-password-" + i)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            known.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            (await LoginAsync("nobody-" + Guid.NewGuid().ToString("N")[..8], "wrong-password-" + i)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            unknown.Add(watch.Elapsed.TotalMilliseconds);
        }

        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        Median(unknown).Should().BeGreaterThan(Median(known) * 0.5, "a quick 'no' for unknown names would tell which names exist (known {0} ms)", Median(known));
    }

    [Fact]
    public async Task Wrong_passwords_make_the_next_attempt_wait_longer_each_time_but_never_lock_the_account()
    {
        var name = await NewUserAsync((await _factory.LincangAsync()).Code);
        _factory.Clock.Advance(LoginThrottle.ForgetAfter);
        for (var i = 0; i < LoginThrottle.FreeFailuresPerUser; i++)
        {
            (await LoginAsync(name, "wrong-password-" + i)).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the first few mistakes cost nothing");
        }
        (await LoginAsync(name, "wrong-password-x")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var early = await LoginAsync(name, ServiceFactory.Password);
        early.StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "an attempt before its wait is over is not checked");
        early.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(1));
        (await early.ReadJsonAsync()).GetProperty("code").GetString().Should().Be("too_many_attempts");

        _factory.Clock.Advance(TimeSpan.FromSeconds(1));
        (await LoginAsync(name, "wrong-password-y")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await LoginAsync(name, ServiceFactory.Password)).Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(2), "each failure doubles the wait");

        _factory.Clock.Advance(TimeSpan.FromSeconds(2));
        (await LoginAsync(name, ServiceFactory.Password)).StatusCode.Should().Be(HttpStatusCode.OK, "the owner signs in once the wait is over");
        using var scope = _factory.Services.CreateScope();
        var user = (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByNameAsync(name))!;
        user.AccessFailedCount.Should().Be(0);
        user.LockoutEnd.Should().BeNull("nobody is locked out");
    }

    [Fact]
    public async Task The_sign_in_page_shares_the_throttle()
    {
        var name = await NewUserAsync((await _factory.LincangAsync()).Code);
        _factory.Clock.Advance(LoginThrottle.ForgetAfter);
        for (var i = 0; i <= LoginThrottle.FreeFailuresPerUser; i++)
        {
            await LoginAsync(name, "wrong-password-" + i);
        }
        var browser = _factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var html = await browser.GetStringAsync(new Uri("/login", UriKind.Relative));
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

        var page = await browser.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = name, ["Password"] = ServiceFactory.Password, ["__RequestVerificationToken"] = token,
        }));

        page.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        page.Headers.RetryAfter.Should().NotBeNull();
        (await page.Content.ReadAsStringAsync()).Should().Contain("登录尝试过于频繁");
        page.Headers.Contains("Set-Cookie").Should().BeFalse();
    }
}

/// <summary>The real server on loopback, so that each client has an address of its own.</summary>
public sealed class LoopbackServer : IDisposable
{
    public ServiceFactory Factory { get; } = new();
    public Uri BaseAddress { get; }

    public LoopbackServer()
    {
        Factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        Factory.StartServer();
        BaseAddress = new Uri(Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    /// <summary>A client whose connections come from the given loopback address (all of 127.0.0.0/8 is loopback).</summary>
    public HttpClient From(string localAddress) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { BaseAddress = BaseAddress };

    public void Dispose() => Factory.Dispose();
}

public sealed class GuessingFromAnotherAddressTests : IClassFixture<LoopbackServer>
{
    private readonly LoopbackServer _server;

    public GuessingFromAnotherAddressTests(LoopbackServer server) => _server = server;

    [Fact]
    public async Task Thirty_wrong_passwords_from_one_address_do_not_keep_the_owner_out_at_another()
    {
        var county = await _server.Factory.LincangAsync();
        var victim = county.Accounts["approver"];
        using var attacker = _server.From("127.0.0.1");
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            answers.Add((await attacker.PostAsJsonAsync("/api/auth/login", new { userName = victim, password = "guess-" + i })).StatusCode);
        }
        answers.Should().OnlyContain(s => s == HttpStatusCode.Unauthorized || s == HttpStatusCode.TooManyRequests);
        answers.Should().Contain(HttpStatusCode.TooManyRequests, "the guessing was slowed");
        (await attacker.PostAsJsonAsync("/api/auth/login", new { userName = victim, password = ServiceFactory.Password })).StatusCode
            .Should().Be(HttpStatusCode.TooManyRequests, "the guessing address waits, even with the right password");

        using var owner = _server.From("127.0.0.2");
        var response = await owner.PostAsJsonAsync("/api/auth/login", new { userName = victim, password = ServiceFactory.Password });

        response.StatusCode.Should().Be(HttpStatusCode.OK, "the owner at another address is not locked out");
    }

    [Fact]
    public async Task No_answer_names_the_server()
    {
        using var client = _server.From("127.0.0.3");

        foreach (var path in new[] { "/login", "/api/auth/me", "/css/site.css", "/health" })
        {
            var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            response.Headers.Server.Should().BeEmpty($"{path} says nothing about the server");
        }
    }
}
