using System.IO.Compression;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using ControlDropout.Web.Data;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

namespace ControlDropout.Web.Tests.Features.Reports;

/// <summary>Issue 14 §2: bad input named, another county's term not found, a coordinator's report of their school only, the xlsx typed, the page drawn.</summary>
public sealed class ReportAccessTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public ReportAccessTests(ServiceFactory factory)
    {
        factory.Settings["Access:LoginAttemptsPerMinute"] = "1000";
        _factory = factory;
    }

    [Theory]
    [InlineData("/api/reports/monthly?month=2026-13", "month")]
    [InlineData("/api/reports/monthly?month=2026-1", "month")]
    [InlineData("/api/reports/monthly?month=november", "month")]
    [InlineData("/api/reports/monthly?month=1999-12", "month")]
    [InlineData("/api/reports/monthly?month=2101-01", "month")]
    [InlineData("/api/reports/monthly", "month")]
    [InlineData("/api/reports/monthly?month=2026-11&format=pdf", "format")]
    [InlineData("/api/reports/term?format=csv", "format")]
    public async Task Bad_input_is_a_400_naming_the_field(string path, string field)
    {
        var county = await _factory.LincangAsync();

        var response = await ReportFacts.GetAsync(county, "approver", path);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await response.ReadJsonAsync();
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Should().Contain(field);
    }

    [Fact]
    public async Task Another_countys_term_and_an_unknown_term_are_not_found_and_a_teacher_may_not_read_reports()
    {
        var county = await _factory.LincangAsync();
        var other = await _factory.OtherCountyAsync();

        (await ReportFacts.GetAsync(county, "approver", $"/api/reports/term?termId={other.Term}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await ReportFacts.GetAsync(county, "approver", $"/api/reports/term?termId={Guid.NewGuid()}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await ReportFacts.GetAsync(county, "approver", $"/api/reports/term?termId={county.Term}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await ReportFacts.GetAsync(county, "teacher", "/api/reports/monthly?month=2026-09")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_coordinator_reads_their_school_only_and_the_county_reads_both()
    {
        var county = await _factory.LincangAsync();
        await SchedulableCounty.AddAsync(county, children: 1);
        var theirs = await SchedulableCounty.AddAsync(county, children: 1);
        await ReportFacts.SecondSchoolAsync(county, [.. theirs]);

        var coordinator = await ReportFacts.ReadAsync<JsonElement>(county, "coordinator", $"/api/reports/term?termId={county.Term}");
        var approver = await ReportFacts.ReadAsync<JsonElement>(county, "approver", $"/api/reports/term?termId={county.Term}");

        coordinator.GetProperty("unit").GetString().Should().Be("临翔区特殊教育学校");
        coordinator.GetProperty("bySchool").EnumerateArray().Select(s => s.GetProperty("name").GetString()).Should().Equal("临翔区特殊教育学校");
        approver.GetProperty("unit").GetString().Should().Be("临翔区");
        approver.GetProperty("bySchool").EnumerateArray().Select(s => s.GetProperty("name").GetString()).Should().Contain(["临翔区特殊教育学校", "南美乡中心学校"]);
        approver.GetProperty("county").GetProperty("children").GetInt32().Should().Be(coordinator.GetProperty("county").GetProperty("children").GetInt32() + 1,
            "the other school's child is the county's, not the coordinator's");
    }

    [Fact]
    public async Task The_xlsx_opens_with_a_title_row_the_period_unit_and_date_and_numbers_typed_as_numbers()
    {
        var county = await _factory.LincangAsync();
        await SchedulableCounty.AddAsync(county, children: 2);
        var json = await ReportFacts.ReadAsync<JsonElement>(county, "auditor", "/api/reports/monthly?month=2026-09");
        var onPlan = json.GetProperty("county").GetProperty("children").GetInt32();
        onPlan.Should().BePositive();

        var response = await ReportFacts.GetAsync(county, "auditor", "/api/reports/monthly?month=2026-09&format=xlsx");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        response.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        // Read back with the library: the title, then the period, the unit and the date of issue; the county's children a number.
        var rows = new MemoryStream(bytes).Query(useHeaderRow: false).Cast<IDictionary<string, object?>>().ToList();
        rows[0]["A"].Should().Be("临翔区 2026年9月 送教上门工作月报");
        rows[1]["A"].Should().Be("统计期间：2026-09-01 至 2026-09-30");
        rows[2]["A"].Should().Be("填报单位：临翔区");
        rows[3]["A"].As<string>().Should().StartWith("填报日期：2026-");
        var header = rows.FindIndex(r => Equals(r["B"], "送教学生数"));
        header.Should().BePositive();
        rows[header + 1]["B"].Should().BeOfType<double>().Which.Should().Be(onPlan);

        // In the sheet itself the number cells carry no string type, and the text cells do.
        using var zip = new ZipArchive(new MemoryStream(bytes));
        XNamespace ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        XDocument Part(string name)
        {
            using var stream = zip.GetEntry(name)!.Open();
            return XDocument.Load(stream);
        }
        var shared = zip.GetEntry("xl/sharedStrings.xml") is null ? [] : Part("xl/sharedStrings.xml").Descendants(ns + "si").Select(si => string.Concat(si.Descendants(ns + "t").Select(t => t.Value))).ToList();
        var sheet = Part(zip.Entries.First(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal)).FullName);
        string Text(XElement cell) => (string?)cell.Attribute("t") switch
        {
            "s" => shared[int.Parse(cell.Element(ns + "v")!.Value, System.Globalization.CultureInfo.InvariantCulture)],
            "inlineStr" => string.Concat(cell.Descendants(ns + "t").Select(t => t.Value)),
            _ => cell.Element(ns + "v")?.Value ?? "",
        };
        var sheetRows = sheet.Descendants(ns + "row").ToList();
        Text(sheetRows[0].Elements(ns + "c").First()).Should().Be("临翔区 2026年9月 送教上门工作月报");
        ((string?)sheetRows[0].Elements(ns + "c").First().Attribute("t")).Should().BeOneOf("s", "str", "inlineStr");
        var headerRow = sheetRows.FindIndex(r => r.Elements(ns + "c").Skip(1).FirstOrDefault() is { } b && Text(b) == "送教学生数");
        headerRow.Should().BePositive();
        var total = sheetRows[headerRow + 1].Elements(ns + "c").ToList();
        Text(total[0]).Should().Be("本月");
        foreach (var number in total.Skip(1).Where(c => c.Element(ns + "v") is not null))
        {
            new[] { "s", "str", "inlineStr" }.Should().NotContain((string?)number.Attribute("t"));
            double.TryParse(number.Element(ns + "v")!.Value, System.Globalization.CultureInfo.InvariantCulture, out _).Should().BeTrue();
        }
        total[1].Element(ns + "v")!.Value.Should().Be(onPlan.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // The file's export is on the audit trail (the JSON read is not a file handed out).
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var exports = await db.Audit.Where(a => a.ObjectType == "Report" && a.Action == "exported" && a.CountyCode == county.Code).ToListAsync();
        exports.Should().ContainSingle(a => a.ObjectId == "monthly:2026-09" && a.Actor == county.Accounts["auditor"] && a.Summary.Contains("xlsx"));
    }

    [Theory]
    [InlineData("approver")]
    [InlineData("coordinator")]
    public async Task The_page_renders_the_report_with_its_charts_and_download_links(string role)
    {
        var county = await _factory.LincangAsync();
        var browser = await PageBrowser.SignedInAsync(_factory, county, role);

        var month = await browser.GetAsync(new Uri("/reports?month=2026-09", UriKind.Relative));
        month.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await month.Content.ReadAsStringAsync();
        html.Should().Contain("<svg").And.Contain("送教上门工作月报").And.Contain("handler=File").And.Contain("/css/report.css");
        html.Should().NotContain("style=\"", "the page's CSP allows no inline style");

        var term = await browser.GetAsync(new Uri($"/reports?termId={county.Term}", UriKind.Relative));
        (await term.Content.ReadAsStringAsync()).Should().Contain("<svg").And.Contain("学期报告");

        var bad = await browser.GetAsync(new Uri("/reports?month=2026-13", UriKind.Relative));
        bad.StatusCode.Should().Be(HttpStatusCode.OK);
        (await bad.Content.ReadAsStringAsync()).Should().Contain("月份须为");

        var file = await browser.GetAsync(new Uri("/reports?handler=File&month=2026-09&format=xlsx", UriKind.Relative));
        file.StatusCode.Should().Be(HttpStatusCode.OK);
        file.Content.Headers.ContentDisposition!.FileNameStar.Should().EndWith(".xlsx");

        var print = await browser.GetAsync(new Uri("/reports?handler=File&month=2026-09&format=html", UriKind.Relative));
        (await print.Content.ReadAsStringAsync()).Should().StartWith("<!DOCTYPE html>").And.Contain("<svg");
    }

    [Fact]
    public async Task A_teacher_is_kept_from_the_page()
    {
        var county = await _factory.LincangAsync();
        var browser = await PageBrowser.SignedInAsync(_factory, county, "teacher");

        var response = await browser.GetAsync(new Uri("/reports", UriKind.Relative));

        response.StatusCode.Should().BeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.Redirect);
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            response.Headers.Location!.ToString().Should().NotBe("/reports");
        }
    }
}
