using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

namespace ControlDropout.Web.Tests.Features.Visits;

/// <summary>
/// Issue 11 §4–§6: rows no request may write any more (the old service stored them) are in the database —
/// a record dated 0001-01-01, one of 9999-12-31 ending before it starts, control characters in its text
/// and in the child's name. Every reader answers 200, shows them marked, and writes clean output.
/// </summary>
public sealed partial class PoisonedRecordTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;
    private static (RecordsCounty Records, string Key)? _seeded;
    private static readonly SemaphoreSlim SeedLock = new(1, 1);
    /// <summary>
    /// PostgreSQL's text cannot hold U+0000 at all (it refuses the write), so no old row there can carry one; the
    /// other control characters it stores as given.
    /// </summary>
    private static readonly string Poison = ServiceFactory.OnPostgres ? "\u0001\u001b" : "\u0000\u0001\u001b";

    public PoisonedRecordTests(ServiceFactory factory)
    {
        factory.Settings["Access:LoginAttemptsPerMinute"] = "1000";
        _factory = factory;
    }

    private async Task<(RecordsCounty Records, string Key)> PoisonedAsync()
    {
        await SeedLock.WaitAsync();
        try
        {
            if (_seeded is { } s && s.Records.County.Factory == _factory)
            {
                return s;
            }
            var records = await RecordsCounty.SeedAsync(_factory);
            var county = records.County;
            var ancient = await VisitSeeds.AddSessionAsync(county, records.Ours, new DateOnly(2026, 9, 9), county.Teacher);
            await VisitSeeds.AddRawRecordAsync(county, ancient, records.Ours, county.Teacher, r => (r.Date, r.Start, r.End) = (DateOnly.MinValue, new TimeOnly(6, 0), new TimeOnly(7, 0)));
            var endless = await VisitSeeds.AddSessionAsync(county, records.Ours, new DateOnly(2026, 9, 10), county.Teacher);
            await VisitSeeds.AddRawRecordAsync(county, endless, records.Ours, county.Teacher, r =>
            {
                (r.Date, r.Start, r.End, r.MakeUpDate) = (DateOnly.MaxValue, new TimeOnly(23, 0), new TimeOnly(1, 0), DateOnly.MinValue);
                (r.Content, r.GuardianName, r.GoalsAddressed) = ($"=cmd|{Poison}", $"周{Poison}", [$"目标{Poison}"]);
            }, recordedAt: DateTimeOffset.MaxValue);
            var controlled = await VisitSeeds.AddSessionAsync(county, records.Ours, new DateOnly(2026, 9, 11), county.Teacher);
            await VisitSeeds.AddRawRecordAsync(county, controlled, records.Ours, county.Teacher, r => (r.Date, r.Content, r.Missed, r.MissedReason) = (new DateOnly(2026, 9, 11), $"内容{Poison}", true, $"原因{Poison}"));
            using (var scope = _factory.Services.CreateScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var child = await db.Students.SingleAsync(c => c.Id == records.Ours);
                child.Name = $"吴{Poison}某某";
                var staff = await db.Staff.SingleAsync(x => x.Id == county.Teacher);
                staff.Name = $"李{Poison}老师";
                await db.SaveChangesAsync();
            }
            _seeded = (records, endless);
            return _seeded.Value;
        }
        finally
        {
            SeedLock.Release();
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    private async Task<HttpClient> SignedInAsync(TestCounty county, string role)
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = TokenField().Match(await client.GetStringAsync(new Uri("/login", UriKind.Relative))).Groups[1].Value;
        var response = await client.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = county.Accounts[role], ["Password"] = ServiceFactory.Password, ["__RequestVerificationToken"] = token,
        }));
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        return client;
    }

    private static async Task<string> OkAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, $"{path}: {text[..Math.Min(400, text.Length)]}");
        return text;
    }

    /// <summary>Every SVG on a page, parsed as the XML 1.0 document it must be.</summary>
    private static List<XDocument> Pictures(string html) =>
        [.. Regex.Matches(html, "<svg.*?</svg>", RegexOptions.Singleline).Select(m => XDocument.Parse(m.Value))];

    [Fact]
    public async Task The_visit_list_answers_every_role_with_the_damaged_records_marked()
    {
        var (records, key) = await PoisonedAsync();
        foreach (var role in Roles.All)
        {
            await OkAsync(await records.County.As(role), "/api/visits");
            await OkAsync(await records.County.As(role), "/api/visits?flagged=true&from=2000-01-01");
        }
        var mine = await (await records.County.As("teacher")).GetFromJsonAsync<List<System.Text.Json.JsonElement>>("/api/visits");
        var damaged = mine!.Where(v => v.GetProperty("flags").EnumerateArray().Any(f => f.GetString() == "damaged")).ToList();
        damaged.Should().HaveCount(3, "each stored oddity is shown, and marked");
        damaged.Should().Contain(v => v.GetProperty("sessionKey").GetString() == key);
    }

    [Fact]
    public async Task The_pages_that_show_records_answer_and_their_pictures_are_valid_xml()
    {
        var (records, key) = await PoisonedAsync();
        var auditor = await SignedInAsync(records.County, "auditor");
        var flags = await OkAsync(auditor, "/inspect/flags");
        flags.Should().Contain("记录数据异常").And.NotContain("\u0000").And.NotContain("\u001b");
        var inspect = await OkAsync(auditor, "/inspect");
        Pictures(inspect).Should().NotBeEmpty("the coverage matrix is drawn with the child's name in it");
        await OkAsync(await SignedInAsync(records.County, "coordinator"), $"/children/{records.Ours}");
        var teacher = await SignedInAsync(records.County, "teacher");
        await OkAsync(teacher, $"/sessions/{key}");
        Pictures(await OkAsync(teacher, "/my/week?monday=2026-09-07")).Should().NotBeEmpty("the teacher's week is drawn with the child's name in it");
    }

    [Fact]
    public async Task Coverage_answers_over_the_damaged_records()
    {
        var (records, _) = await PoisonedAsync();
        foreach (var role in new[] { "approver", "coordinator", "auditor", "admin" })
        {
            var client = await records.County.As(role);
            await OkAsync(client, "/api/coverage");
            await OkAsync(client, "/api/coverage?week=2026-W37");
            await OkAsync(client, "/api/coverage/matrix");
        }
    }

    [Fact]
    public async Task The_ledger_and_the_teaching_file_carry_no_control_characters()
    {
        var (records, _) = await PoisonedAsync();
        var approver = await records.County.As("approver");
        var csv = await approver.GetAsync(new Uri("/api/ledger?format=csv", UriKind.Relative));
        csv.StatusCode.Should().Be(HttpStatusCode.OK);
        var text = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync());
        text.Should().Contain("吴").And.Contain("某某");
        text.Where(c => char.IsControl(c) && c is not ('\r' or '\n')).Should().BeEmpty("NUL, SOH and ESC never reach the CSV");
        var xlsx = await approver.GetAsync(new Uri("/api/ledger?format=xlsx", UriKind.Relative));
        xlsx.StatusCode.Should().Be(HttpStatusCode.OK);
        var rows = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()).Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        rows.SelectMany(r => r.Values).OfType<string>().SelectMany(v => v).Where(c => char.IsControl(c) && c is not ('\r' or '\n' or '\t')).Should().BeEmpty();

        var file = await approver.GetAsync(new Uri($"/api/students/{records.Ours}/teaching-file?termId={records.County.Term}", UriKind.Relative));
        file.StatusCode.Should().Be(HttpStatusCode.OK);
        var sheet = new MemoryStream(await file.Content.ReadAsByteArrayAsync()).Query(useHeaderRow: true, sheetName: "送教记录").Cast<IDictionary<string, object>>().ToList();
        sheet.SelectMany(r => r.Values).OfType<string>().SelectMany(v => v).Where(c => char.IsControl(c) && c is not ('\r' or '\n' or '\t')).Should().BeEmpty();
        var html = await OkAsync(approver, $"/api/students/{records.Ours}/teaching-file?termId={records.County.Term}&format=html");
        html.Where(c => char.IsControl(c) && c is not ('\r' or '\n' or '\t')).Should().BeEmpty();
    }
}
