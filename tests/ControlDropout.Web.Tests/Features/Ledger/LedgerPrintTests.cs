using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Ledger;
using ControlDropout.Web.Features.Plans;
using ControlDropout.Web.Tests.Features.Coverage;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Ledger;

/// <summary>
/// Issue 14 §3: the ledger as the bureau prints it, read back from the file: the title row merged across the
/// columns, the unit and date under it, the frozen header, fitted widths, numbers as numeric cells, A4
/// landscape with print titles and area; 年级 filled; 审批文号 entered or from the county's sequence; no login.
/// </summary>
public sealed partial class LedgerPrintTests : IClassFixture<ServiceFactory>
{
    private const string Hostile = "=HYPERLINK(\"http://x\",\"点我\")";
    private const string Entered = "临翔区教体审〔2026〕7号";
    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private static readonly string[] Numeric = ["序号", "本学期计划次数", "已送次数", "缺送次数", "累计课时"];
    private readonly ServiceFactory _factory;

    public LedgerPrintTests(ServiceFactory factory) => _factory = factory;

    [GeneratedRegex(@"^临翔区送教审〔2026〕(\d+)号$")]
    private static partial Regex Sequenced();

    /// <summary>Two scheduled children (one with a formula for a name), one approved with an entered 审批文号, one with the sequence's.</summary>
    private async Task<TestCounty> CountyAsync()
    {
        var county = await _factory.LincangAsync();
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            if (await db.Students.AnyAsync(s => s.Name == "文号自填童"))
            {
                return county;
            }
            var ids = await SchedulableCounty.AddAsync(county, children: 2);
            var first = await db.Students.SingleAsync(s => s.Id == ids[0]);
            first.Name = Hostile;
            first.Guardians = [new Guardian { Name = "周某", Relation = "母亲", Phone = "13812345678" }];
            (await db.Students.SingleAsync(s => s.Id == ids[1])).Name = "排课童";
            await db.SaveChangesAsync();
        }
        await (await county.As("approver")).RunAndPublishAsync(county.Term);
        (await ApproveAsync(county, "文号自填童", new { opinion = "同意", approvalNo = Entered })).ApprovalNo.Should().Be(Entered);
        (await ApproveAsync(county, "文号顺序童", new { opinion = "同意" })).ApprovalNo.Should().MatchRegex(Sequenced().ToString());
        return county;
    }

    /// <summary>A new child's plan, submitted by the coordinator and decided by the approver with the body given.</summary>
    private static async Task<PlanVersionDto> ApproveAsync(TestCounty county, string name, object decision)
    {
        var plan = await SubmittedAsync(county, name);
        var approved = await (await county.As("approver")).ActAsync(plan, "approve", decision);
        approved.StatusCode.Should().Be(HttpStatusCode.OK);
        return (await approved.ReadPlanAsync()).Versions[^1];
    }

    private static async Task<PlanDto> SubmittedAsync(TestCounty county, string name)
    {
        var coordinator = await county.As("coordinator");
        var child = await county.NewChildAsync(birth: new DateOnly(2016, 9, 1));
        await TermFacts.NameAsync(county, child, name);
        var (_, plan) = await coordinator.CreatePlanAsync(child, county.Term);
        return await (await coordinator.ActAsync(plan!, "submit")).ReadPlanAsync();
    }

    private static Dictionary<string, string> Entries(byte[] xlsx)
    {
        using var zip = new ZipArchive(new MemoryStream(xlsx));
        return zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var reader = new StreamReader(e.Open());
            return reader.ReadToEnd();
        });
    }

    private static string CellText(XElement cell) =>
        (string?)cell.Attribute("t") == "inlineStr" ? string.Concat(cell.Descendants(Main + "t").Select(t => t.Value)) : cell.Element(Main + "v")?.Value ?? "";

    private static int ColumnIndex(string reference) =>
        reference.TakeWhile(char.IsLetter).Aggregate(0, (n, c) => (n * 26) + (c - 'A' + 1));

    /// <summary>A row's cells by column (1-based), empty ones absent.</summary>
    private static Dictionary<int, XElement> Cells(XElement row) => row.Elements(Main + "c").ToDictionary(c => ColumnIndex((string)c.Attribute("r")!));

    [Fact]
    public async Task The_xlsx_reads_back_as_the_bureau_prints_it()
    {
        var county = await CountyAsync();
        var bytes = await (await county.As("approver")).GetByteArrayAsync($"/api/ledger?termId={county.Term}&format=xlsx");
        var entries = Entries(bytes);
        var last = Web.Infrastructure.Xlsx.ColumnName(LedgerExport.Columns.Length);
        last.Should().Be("AB");

        var workbook = XDocument.Parse(entries["xl/workbook.xml"]);
        workbook.Descendants(Main + "sheet").Single().Attribute("name")!.Value.Should().Be("送教台账");
        var names = workbook.Descendants(Main + "definedName").ToDictionary(d => (string)d.Attribute("name")!, d => d.Value);
        names["_xlnm.Print_Titles"].Should().Be("'送教台账'!$3:$3", "the header row repeats on every printed page");
        names["_xlnm.Print_Area"].Should().MatchRegex(@"^'送教台账'!\$A\$1:\$AB\$\d+$");

        var sheet = XDocument.Parse(entries["xl/worksheets/sheet1.xml"]);
        var rows = sheet.Descendants(Main + "row").ToList();
        CellText(rows[0].Elements(Main + "c").Single()).Should().Be("临翔区2026年秋季学期送教上门学生台账");
        sheet.Descendants(Main + "mergeCell").Select(m => (string)m.Attribute("ref")!).Should().Contain([$"A1:{last}1", $"A2:{last}2"]);
        CellText(rows[1].Elements(Main + "c").Single()).Should().Be("填报单位：临翔区　　导出日期：2026-09-07");
        rows[2].Elements(Main + "c").Select(CellText).Should().Equal(LedgerExport.Columns);
        names["_xlnm.Print_Area"].Should().EndWith($"${rows.Count}");

        var pane = sheet.Descendants(Main + "pane").Single();
        ((string)pane.Attribute("state")!, (string)pane.Attribute("ySplit")!, (string)pane.Attribute("topLeftCell")!).Should().Be(("frozen", "3", "A4"));
        var cols = sheet.Descendants(Main + "col").ToList();
        cols.Should().HaveCount(LedgerExport.Columns.Length);
        cols.Should().OnlyContain(c => double.Parse((string)c.Attribute("width")!, CultureInfo.InvariantCulture) >= 6 && (string)c.Attribute("customWidth")! == "1");
        double WidthOf(string column) => double.Parse((string)cols[Array.IndexOf(LedgerExport.Columns, column)].Attribute("width")!, CultureInfo.InvariantCulture);
        WidthOf("监护人/关系/电话").Should().BeGreaterThan(WidthOf("性别"), "widths are fitted to the Chinese text");

        var setup = sheet.Descendants(Main + "pageSetup").Single();
        ((string)setup.Attribute("orientation")!, (string)setup.Attribute("paperSize")!, (string)setup.Attribute("fitToWidth")!).Should().Be(("landscape", "9", "1"));
        sheet.Descendants(Main + "pageSetUpPr").Single().Attribute("fitToPage")!.Value.Should().Be("1");
        sheet.Descendants(Main + "printOptions").Should().ContainSingle();

        var body = rows.Skip(3).Select(Cells).ToList();
        body.Should().HaveCountGreaterThanOrEqualTo(4);
        int Col(string name) => Array.IndexOf(LedgerExport.Columns, name) + 1;
        foreach (var row in body)
        {
            foreach (var column in Numeric)
            {
                var cell = row[Col(column)];
                cell.Attribute("t").Should().BeNull($"{column} is a number Excel can sum");
                int.TryParse(cell.Element(Main + "v")!.Value, NumberStyles.None, CultureInfo.InvariantCulture, out _).Should().BeTrue();
            }
            CellText(row[Col("年级")]).Should().MatchRegex("^([一二三四五六七八九]年级|学前|超龄)$");
        }
        body.Select(r => CellText(r[Col("序号")])).Should().Equal(Enumerable.Range(1, body.Count).Select(n => n.ToString(CultureInfo.InvariantCulture)));
        var byName = body.ToDictionary(r => CellText(r[Col("姓名")]));
        byName.Should().ContainKey("'" + Hostile, "a name that would be a formula is neutralised");
        CellText(byName["文号自填童"][Col("审批文号及日期")]).Should().Be($"{Entered} 2026-09-07");
        CellText(byName["文号顺序童"][Col("审批文号及日期")]).Should().MatchRegex(@"^临翔区送教审〔2026〕\d+号 2026-09-07$");
        CellText(byName["排课童"][Col("审批文号及日期")]).Should().Be("（未编号）2026-08-20", "an older version has no number, and never a login");
        CellText(byName["排课童"][Col("送教地点")]).Should().Be("南美乡 南美村委会");
        CellText(byName["排课童"][Col("每周送教时间")]).Should().MatchRegex(@"^周[一二三四五] \d\d:\d\d–\d\d:\d\d");
        CellText(byName["文号自填童"][Col("年级")]).Should().Be("四年级", "born 1 September 2016: 6 after 31 August 2022, so 一年级 in September 2023");
        CellText(byName["文号自填童"][Col("每周送教时间")]).Should().BeEmpty("nothing is scheduled for it");
        CellText(byName["文号自填童"][Col("备注")]).Should().Be("未排课");

        var everything = string.Concat(entries.Values);
        everything.Should().NotContain("<f>").And.NotContain("<f ");
        foreach (var login in county.Accounts.Values)
        {
            everything.Should().NotContain(login, "no login name is printed in the ledger");
        }
    }

    [Fact]
    public async Task The_csv_has_the_xlsx_header_first_and_no_formula_and_no_login()
    {
        var county = await CountyAsync();
        var approver = await county.As("approver");
        var xlsx = Entries(await approver.GetByteArrayAsync($"/api/ledger?termId={county.Term}&format=xlsx"));
        var header = XDocument.Parse(xlsx["xl/worksheets/sheet1.xml"]).Descendants(Main + "row").ElementAt(2).Elements(Main + "c").Select(CellText).ToList();

        var csv = await approver.GetByteArrayAsync($"/api/ledger?termId={county.Term}&format=csv");
        csv.Take(3).Should().Equal(Encoding.UTF8.GetPreamble());
        var lines = Encoding.UTF8.GetString(csv, 3, csv.Length - 3).Split("\r\n");
        lines[0].Should().Be(string.Join(',', header), "the CSV has the same columns, the header on its first line (no title lines)");
        lines.Should().Contain(l => l.Contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\"", StringComparison.Ordinal), "the formula is neutralised in the CSV too");
        lines.Should().NotContain(l => l.StartsWith('=') || l.Contains(",=", StringComparison.Ordinal) || l.Contains(",\"=", StringComparison.Ordinal));
        var text = string.Join('\n', lines);
        foreach (var login in county.Accounts.Values)
        {
            text.Should().NotContain(login);
        }
        text.Should().Contain($"{Entered} 2026-09-07");
    }

    [Fact]
    public async Task The_sequence_counts_on_and_an_entered_number_is_one_short_line()
    {
        var county = await CountyAsync();
        var first = await ApproveAsync(county, "顺序一", new { opinion = "同意", approvalNo = "" });
        var second = await ApproveAsync(county, "顺序二", new { opinion = "同意" });
        var n = int.Parse(Sequenced().Match(first.ApprovalNo!).Groups[1].Value, CultureInfo.InvariantCulture);
        second.ApprovalNo.Should().Be($"临翔区送教审〔2026〕{n + 1}号");

        var plan = await SubmittedAsync(county, "文号有误");
        var approver = await county.As("approver");
        foreach (var bad in new[] { "临翔区\n送教审", new string('号', 51), "临翔区\u2028送教审", "文号\u0007" })
        {
            var refused = await approver.ActAsync(plan, "approve", new { opinion = "同意", approvalNo = bad });
            refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            (await refused.Content.ReadAsStringAsync()).Should().Contain("\"approvalNo\"");
        }
        (await approver.GetPlanAsync(plan.Id)).Status.Should().Be(PlanStatus.Submitted);
        // A rejection takes no number.
        var rejected = await (await approver.ActAsync(plan, "reject", new { opinion = "请补充评估" })).ReadPlanAsync();
        rejected.Versions[^1].ApprovalNo.Should().BeNull();
        var third = await ApproveAsync(county, "顺序三", new { opinion = "同意" });
        third.ApprovalNo.Should().Be($"临翔区送教审〔2026〕{n + 2}号");
    }

    [Fact]
    public async Task Two_approvals_at_once_take_two_numbers()
    {
        var county = await CountyAsync();
        var plans = new[] { await SubmittedAsync(county, "同时一"), await SubmittedAsync(county, "同时二"), await SubmittedAsync(county, "同时三") };
        var approver = await county.As("approver");
        var answers = await Task.WhenAll(plans.Select(p => approver.ActAsync(p, "approve", new { opinion = "同意" })));
        answers.Should().OnlyContain(a => a.StatusCode == HttpStatusCode.OK);
        var numbers = await Task.WhenAll(answers.Select(async a => (await a.ReadPlanAsync()).Versions[^1].ApprovalNo));
        numbers.Should().OnlyHaveUniqueItems().And.OnlyContain(no => Sequenced().IsMatch(no!));
    }

    [Fact]
    public async Task The_approvers_page_form_sets_an_entered_number()
    {
        var county = await CountyAsync();
        var plan = await SubmittedAsync(county, "页面文号童");
        var approver = await PageBrowser.SignedInAsync(_factory, county, "approver");
        var page = await approver.GetStringAsync(new Uri($"/plans/{plan.Id}", UriKind.Relative));
        page.Should().Contain("name=\"approvalNo\"").And.Contain("留空则自动编号");

        var refused = await approver.PostAsync(new Uri($"/plans/{plan.Id}?handler=Approve", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PageBrowser.TokenIn(page), ["etag"] = plan.ETag, ["opinion"] = "同意", ["approvalNo"] = new string('号', 51),
        }));
        refused.StatusCode.Should().Be(HttpStatusCode.OK);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("审批文号不能超过 50 个字");

        var posted = await approver.PostAsync(new Uri($"/plans/{plan.Id}?handler=Approve", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PageBrowser.TokenIn(page), ["etag"] = plan.ETag, ["opinion"] = "同意", ["approvalNo"] = "临翔区教体审〔2026〕21号",
        }));
        posted.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await (await county.As("approver")).GetPlanAsync(plan.Id)).Versions[^1].ApprovalNo.Should().Be("临翔区教体审〔2026〕21号");
        (await approver.GetStringAsync(new Uri($"/plans/{plan.Id}", UriKind.Relative))).Should().Contain("临翔区教体审〔2026〕21号");
    }

    [Theory]
    [InlineData("2020-08-31", "2026-09-01", "一年级")]   // 6 on 31 August 2026: 一年级 that September
    [InlineData("2020-09-01", "2026-09-01", "学前")]     // 6 on 1 September: the next September
    [InlineData("2020-09-01", "2027-09-01", "一年级")]
    [InlineData("2016-03-02", "2026-09-01", "五年级")]   // entered September 2022
    [InlineData("2016-03-02", "2027-02-20", "五年级")]   // a spring term belongs to the school year begun the September before
    [InlineData("2012-08-31", "2026-09-01", "九年级")]   // entered September 2018
    [InlineData("2011-08-31", "2026-09-01", "超龄")]     // entered September 2017: would be in its tenth year
    [InlineData("2022-01-01", "2026-09-01", "学前")]
    public void The_grade_follows_the_birth_date_and_the_term(string birth, string termDay, string expected) =>
        LedgerExport.SchoolGrade(DateOnly.Parse(birth, CultureInfo.InvariantCulture), DateOnly.Parse(termDay, CultureInfo.InvariantCulture)).Should().Be(expected);

    [Theory]
    [InlineData(new string[0], "0")]
    [InlineData(new[] { "家长外出", "教师请假" }, "2（家长外出；教师请假）")]
    [InlineData(new[] { "家长外出", "逾期无送教记录", "家长外出" }, "3（家长外出×2；逾期无送教记录）")]
    public void Missed_sessions_read_as_a_count_and_their_reasons(string[] reasons, string expected) =>
        LedgerExport.MissedWithReasons(reasons).Should().Be(expected);
}
