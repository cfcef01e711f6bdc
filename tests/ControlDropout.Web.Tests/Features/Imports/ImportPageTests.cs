using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using ControlDropout.Web.Data;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Imports;

/// <summary>The /imports page: a coordinator checks a roster, sees each error by row and column, and commits a clean one by its hash.</summary>
public sealed partial class ImportPageTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public ImportPageTests(ServiceFactory factory)
    {
        factory.Settings["Access:LoginAttemptsPerMinute"] = "1000";
        _factory = factory;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    private static async Task<string> TokenAsync(HttpClient client, string path) =>
        TokenField().Match(await client.GetStringAsync(new Uri(path, UriKind.Relative))).Groups[1].Value;

    private async Task<HttpClient> SignedInAsync(string role)
    {
        var county = await _factory.LincangAsync();
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var response = await client.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = county.Accounts[role], ["Password"] = ServiceFactory.Password, ["__RequestVerificationToken"] = await TokenAsync(client, "/login"),
        }));
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        return client;
    }

    private static async Task<string> CheckAsync(HttpClient client, byte[] file, string fileName)
    {
        var token = await TokenAsync(client, "/imports");
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var form = new MultipartFormDataContent
        {
            { new StringContent("students"), "Kind" },
            { content, "Upload", fileName },
            { new StringContent(token), "__RequestVerificationToken" },
        };
        var response = await client.PostAsync(new Uri("/imports?handler=Check", UriKind.Relative), form);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    [GeneratedRegex("name=\"Sha256\" value=\"([0-9a-f]{64})\"")]
    private static partial Regex ShaField();

    [Fact]
    public async Task A_coordinator_checks_a_roster_sees_its_errors_by_row_and_column_then_commits_a_clean_one()
    {
        var county = await _factory.LincangAsync();
        var client = await SignedInAsync("coordinator");
        (await client.GetStringAsync(new Uri("/imports", UriKind.Relative))).Should().Contain("/imports?handler=Template&amp;kind=students");

        var rows = Rosters.Children(county.Code, "临翔区特殊教育学校", 3, new DateOnly(2016, 5, 1));
        rows[1]["残疾等级"] = "五级";
        var html = await CheckAsync(client, Rosters.Xlsx(rows, Rosters.StudentHeaders), "roster.xlsx");
        html.Should().Contain("id=\"import-errors\"").And.Contain("<td>第 3 行</td><td>残疾等级</td><td>残疾等级须为 1–4 或 一级…四级</td>");
        html.Should().NotContain("name=\"Sha256\"", "a file with errors cannot be committed");

        rows[1]["残疾等级"] = "二级";
        html = await CheckAsync(client, Rosters.Xlsx(rows, Rosters.StudentHeaders), "roster.xlsx");
        html.Should().NotContain("id=\"import-errors\"");
        var sha = ShaField().Match(html).Groups[1].Value;
        sha.Should().HaveLength(64);
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var before = await db.Students.CountAsync();

        var commit = await client.PostAsync(new Uri("/imports?handler=Commit", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Sha256"] = sha, ["__RequestVerificationToken"] = TokenField().Match(html).Groups[1].Value,
        }));
        commit.StatusCode.Should().Be(HttpStatusCode.OK);
        (await commit.Content.ReadAsStringAsync()).Should().Contain("导入完成");
        (await db.Students.CountAsync()).Should().Be(before + 3);

        var template = await client.GetAsync(new Uri("/imports?handler=Template&kind=staff", UriKind.Relative));
        template.StatusCode.Should().Be(HttpStatusCode.OK);
        template.Content.Headers.ContentType!.MediaType.Should().Contain("spreadsheetml");
    }

    [Fact]
    public async Task The_page_takes_a_file_above_the_servers_1_mb_body_limit()
    {
        var county = await _factory.LincangAsync();
        var client = await SignedInAsync("coordinator");
        var rows = Rosters.Children(county.Code, "临翔区特殊教育学校", 4800, new DateOnly(2011, 1, 1));
        rows.ForEach(r => r["备注"] = new string('注', 60));
        var csv = Rosters.Csv(rows, [.. Rosters.StudentHeaders, "备注"], System.Text.Encoding.UTF8);
        csv.Length.Should().BeGreaterThan(1024 * 1024);
        var html = await CheckAsync(client, csv, "big.csv");
        html.Should().Contain("<span id=\"rows\">4800</span>");
    }

    [Fact]
    public async Task A_teacher_may_not_open_the_import_page()
    {
        var client = await SignedInAsync("teacher");
        var response = await client.GetAsync(new Uri("/imports", UriKind.Relative));
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().Should().Contain("/denied");
    }
}
