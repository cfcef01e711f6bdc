using System.Net;
using ControlDropout.Web.Data;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Setup;

/// <summary>学期 on a page: the county's terms and a form that adds one through the use case behind <c>POST /api/terms</c>.</summary>
public sealed class TermPageTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public TermPageTests(ServiceFactory factory)
    {
        factory.Settings["Access:LoginAttemptsPerMinute"] = "1000";
        _factory = factory;
    }

    [Fact]
    public async Task An_approver_adds_a_term_and_a_refusal_stands_beside_its_field()
    {
        var county = await _factory.LincangAsync();
        var client = await PageBrowser.SignedInAsync(_factory, county, "approver");
        (await client.GetStringAsync(new Uri("/terms", UriKind.Relative))).Should().Contain("2026年秋季学期").And.Contain("2026-09-01").And.Contain("href=\"/terms\"");

        var garbled = await SetupPages.PostAsync(client, "/terms", new() { ["Form.Name"] = "2027年春季学期", ["Form.FirstDay"] = "三月一日", ["Form.LastDay"] = "" });
        garbled.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await garbled.Content.ReadAsStringAsync();
        SetupPages.ErrorBeside(html, "FirstDay").Should().Be("学期开始日不是有效日期，请用 yyyy-MM-dd");
        SetupPages.ErrorBeside(html, "LastDay").Should().Be("请填写学期结束日");

        var backwards = await SetupPages.PostAsync(client, "/terms", new() { ["Form.Name"] = "", ["Form.FirstDay"] = "2027-03-01", ["Form.LastDay"] = "2027-02-01" });
        html = await backwards.Content.ReadAsStringAsync();
        SetupPages.ErrorBeside(html, "Name").Should().Be("请填写学期名称");
        SetupPages.ErrorBeside(html, "LastDay").Should().Be("学期结束日不能早于开始日");
        html.Should().Contain("value=\"2027-03-01\"", "what was typed is kept");

        var added = await SetupPages.PostAsync(client, "/terms", new() { ["Form.Name"] = "2027年春季学期", ["Form.FirstDay"] = "2027-03-01", ["Form.LastDay"] = "2027-07-09" });
        added.StatusCode.Should().Be(HttpStatusCode.Redirect, await added.Content.ReadAsStringAsync());
        (await client.GetStringAsync(new Uri("/terms", UriKind.Relative))).Should().Contain("已添加学期：2027年春季学期").And.Contain("2027-07-09");
        using var scope = _factory.Services.CreateScope();
        var term = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Terms.SingleAsync(t => t.Name == "2027年春季学期");
        (term.CountyCode, term.FirstDay, term.TeachingWeekdays.Count).Should().Be((county.Code, new DateOnly(2027, 3, 1), 5));
    }

    [Theory]
    [InlineData("coordinator")]
    [InlineData("teacher")]
    [InlineData("auditor")]
    public async Task Only_the_bureau_opens_the_terms_page(string role)
    {
        var county = await _factory.LincangAsync();
        var client = await PageBrowser.SignedInAsync(_factory, county, role);
        var response = await client.GetAsync(new Uri("/terms", UriKind.Relative));
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().Should().Contain("/denied");
    }
}
