using System.Net;
using System.Text.RegularExpressions;
using ControlDropout.Web.Infrastructure;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ControlDropout.Web.Tests.Pages;

/// <summary>The pages' sign-in, antiforgery, security headers and error pages, over plain HTTP.</summary>
public sealed partial class PageSecurityTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public PageSecurityTests(ServiceFactory factory)
    {
        // Every test signs in again from one address: more than a desk's per-minute limit.
        factory.Settings["Access:LoginAttemptsPerMinute"] = "1000";
        _factory = factory;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    private HttpClient Browser() => _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<string> TokenAsync(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(new Uri(path, UriKind.Relative));
        return TokenField().Match(html).Groups[1].Value;
    }

    private async Task<HttpClient> SignedInAsync(string role)
    {
        var county = await _factory.LincangAsync();
        var client = Browser();
        var token = await TokenAsync(client, "/login");
        var response = await client.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = county.Accounts[role], ["Password"] = ServiceFactory.Password, ["__RequestVerificationToken"] = token,
        }));
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        return client;
    }

    [Fact]
    public async Task Every_page_carries_a_content_security_policy_of_self()
    {
        var response = await Browser().GetAsync(new Uri("/login", UriKind.Relative));
        response.Headers.GetValues("Content-Security-Policy").Single().Should().StartWith("default-src 'self'").And.Be(PageSetup.ContentSecurityPolicy);
        response.Headers.GetValues("Referrer-Policy").Single().Should().Be("no-referrer", "feed links are secrets");
        response.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
    }

    [Fact]
    public async Task A_signed_out_visitor_is_sent_to_sign_in()
    {
        var response = await Browser().GetAsync(new Uri("/approve", UriKind.Relative));
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().Should().Contain("/login?ReturnUrl=%2Fapprove");
    }

    [Fact]
    public async Task A_form_posted_without_its_antiforgery_token_is_refused_in_chinese()
    {
        var county = await _factory.LincangAsync();
        var client = Browser();
        await client.GetAsync(new Uri("/login", UriKind.Relative));
        var response = await client.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = county.Accounts["approver"], ["Password"] = ServiceFactory.Password,
        }));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("表单已过期或不完整");
        response.Headers.Contains("Set-Cookie").Should().BeFalse("nobody was signed in");
    }

    [Fact]
    public async Task A_decision_posted_without_the_token_changes_nothing()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        var (_, plan) = await coordinator.CreatePlanAsync(await county.NewChildAsync(), county.Term);
        (await coordinator.ActAsync(plan!, "submit")).EnsureSuccessStatusCode();
        var approver = await SignedInAsync("approver");
        var submitted = await coordinator.GetPlanAsync(plan!.Id);
        var response = await approver.PostAsync(new Uri($"/plans/{plan.Id}?handler=Approve", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["etag"] = submitted.ETag, ["opinion"] = "同意" }));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await coordinator.GetPlanAsync(plan.Id)).Status.Should().Be(Domain.PlanStatus.Submitted, "a forged form decides nothing");
    }

    [Fact]
    public async Task A_wrong_password_on_the_page_says_so_without_saying_which_part()
    {
        var county = await _factory.LincangAsync();
        var client = Browser();
        var token = await TokenAsync(client, "/login");
        var response = await client.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = county.Accounts["auditor"], ["Password"] = "not-the-password", ["__RequestVerificationToken"] = token,
        }));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("用户名或密码不正确");
    }

    [Fact]
    public async Task The_page_cookie_never_opens_the_api()
    {
        var client = await SignedInAsync("approver");
        (await client.GetAsync(new Uri("/approve", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync(new Uri("/api/auth/me", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.Unauthorized,
            "another site could otherwise make a signed-in browser call the API");
    }

    [Fact]
    public async Task Each_role_starts_on_its_own_home_page()
    {
        foreach (var (role, home) in new[] { ("approver", "/approve"), ("coordinator", "/children"), ("teacher", "/my/week"), ("auditor", "/inspect") })
        {
            var client = await SignedInAsync(role);
            var response = await client.GetAsync(new Uri("/", UriKind.Relative));
            response.Headers.Location!.ToString().Should().Be(home, $"a {role} starts there");
        }
    }

    [Fact]
    public async Task A_page_of_another_role_is_denied()
    {
        var client = await SignedInAsync("teacher");
        var response = await client.GetAsync(new Uri("/approve", UriKind.Relative));
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().Should().Contain("/denied");
    }

    [Fact]
    public async Task A_missing_record_gets_a_chinese_page_not_a_stack_trace()
    {
        var client = await SignedInAsync("approver");
        var response = await client.GetAsync(new Uri($"/plans/{Guid.NewGuid()}", UriKind.Relative));
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain("找不到页面").And.NotContain("Exception");
    }

    [Fact]
    public async Task Another_countys_records_are_as_absent_as_missing_ones()
    {
        var other = await _factory.OtherCountyAsync();
        var (_, plan) = await (await other.As("coordinator")).CreatePlanAsync(other.Eligible, other.Term);
        var pages = new[] { $"/children/{other.Eligible}", $"/plans/{plan!.Id}", $"/staff/{other.Teacher}" };
        var editor = new[] { $"/plans/edit/{plan.Id}", $"/plans/edit?student={other.Eligible}" };
        foreach (var (role, paths) in new[] { ("approver", pages), ("coordinator", pages.Concat(editor).ToArray()) })
        {
            var client = await SignedInAsync(role);
            foreach (var path in paths)
            {
                (await client.GetAsync(new Uri(path, UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound, $"{path} as {role} belongs to another county");
            }
        }
    }

    [Fact]
    public async Task Unmasking_on_the_page_is_for_approvers_and_is_audited()
    {
        var county = await _factory.LincangAsync();
        var approver = await SignedInAsync("approver");
        var page = await approver.GetStringAsync(new Uri($"/children/{county.Eligible}", UriKind.Relative));
        page.Should().Contain("138****1234").And.NotContain("13800001234");
        var token = TokenField().Match(page).Groups[1].Value;
        var unmasked = await approver.PostAsync(new Uri($"/children/{county.Eligible}?handler=Unmask", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        (await unmasked.Content.ReadAsStringAsync()).Should().Contain("13800001234").And.Contain("已记入审计");
        var audit = await (await county.As("auditor")).GetStringAsync(new Uri("/api/audit", UriKind.Relative));
        audit.Should().Contain("read-unmasked");

        var coordinator = await SignedInAsync("coordinator");
        var coordinatorPage = await coordinator.GetStringAsync(new Uri($"/children/{county.Eligible}", UriKind.Relative));
        coordinatorPage.Should().NotContain("显示完整证件号与电话");
        var refused = await coordinator.PostAsync(new Uri($"/children/{county.Eligible}?handler=Unmask", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = TokenField().Match(coordinatorPage).Groups[1].Value }));
        (await refused.Content.ReadAsStringAsync()).Should().NotContain("13800001234").And.Contain("只有审批人或管理员");
    }
}
