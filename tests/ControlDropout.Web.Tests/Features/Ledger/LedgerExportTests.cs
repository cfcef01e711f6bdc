using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Ledger;
using ControlDropout.Web.Infrastructure;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

namespace ControlDropout.Web.Tests.Features.Ledger;

public sealed class LedgerExportTests : IClassFixture<ServiceFactory>
{
    private const string Hostile = "=HYPERLINK(\"http://x\",\"点我\")";
    private readonly ServiceFactory _factory;

    public LedgerExportTests(ServiceFactory factory) => _factory = factory;

    private async Task<TestCounty> CountyWithChildrenAsync()
    {
        var county = await _factory.LincangAsync();
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (await db.Plans.AnyAsync(p => p.Versions.Any(v => v.Status == PlanStatus.Active)))
        {
            return county;
        }
        var ids = await SchedulableCounty.AddAsync(county, children: 2);
        var first = await db.Students.SingleAsync(s => s.Id == ids[0]);
        first.Name = Hostile;
        first.DisabilityCertificateNo = "53090220150101002X41";
        first.Guardians = [new Guardian { Name = "周某", Relation = "母亲", Phone = "13812345678" }];
        await db.SaveChangesAsync();
        return county;
    }

    [Fact]
    public async Task The_xlsx_ledger_has_the_bureaus_columns_masked_numbers_and_no_formula()
    {
        var county = await CountyWithChildrenAsync();

        var bytes = await (await county.As("approver")).GetByteArrayAsync($"/api/ledger?termId={county.Term}&format=xlsx");

        using (var zip = new ZipArchive(new MemoryStream(bytes)))
        {
            foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".xml", StringComparison.Ordinal)))
            {
                using var reader = new StreamReader(entry.Open());
                var xml = await reader.ReadToEndAsync();
                xml.Should().NotContain("<f>").And.NotContain("<f ", $"{entry.FullName} must hold no formula");
            }
        }
        // Under the title row and the unit's line, the header is row 3 (issue 14).
        var rows = new MemoryStream(bytes).Query(useHeaderRow: true, startCell: "A3").Cast<IDictionary<string, object>>().ToList();
        rows.Should().HaveCount(2);
        rows[0].Keys.Should().Equal(LedgerExport.Columns);
        var hostile = rows.Single(r => ((string)r["姓名"]).Contains("HYPERLINK", StringComparison.Ordinal));
        ((string)hostile["姓名"]).Should().Be("'" + Hostile, "a cell that would be a formula is neutralised");
        ((string)hostile["残疾人证号"]).Should().Be("530902**********2X41");
        ((string)hostile["监护人/关系/电话"]).Should().Be("周某/母亲/138****5678");
        ((string)hostile["县(市、区)"]).Should().Be("临翔区");
        ((string)hostile["安置方式"]).Should().Be("送教上门");
    }

    [Fact]
    public async Task The_csv_ledger_is_utf8_with_bom_and_unmasking_is_for_approvers_and_audited()
    {
        var county = await CountyWithChildrenAsync();
        var approver = await county.As("approver");

        var csv = await approver.GetByteArrayAsync($"/api/ledger?termId={county.Term}&format=csv");
        csv.Take(3).Should().Equal(Encoding.UTF8.GetPreamble());
        var text = Encoding.UTF8.GetString(csv, 3, csv.Length - 3);
        text.Should().StartWith(string.Join(',', LedgerExport.Columns)).And.Contain("138****5678").And.NotContain("13812345678");

        var unmasked = Encoding.UTF8.GetString(await approver.GetByteArrayAsync($"/api/ledger?termId={county.Term}&format=csv&unmask=true"));
        unmasked.Should().Contain("13812345678").And.Contain("53090220150101002X41");
        var auditor = await county.As("auditor");
        (await auditor.GetAsync($"/api/ledger?termId={county.Term}&format=csv&unmask=true")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await (await county.As("coordinator")).GetAsync($"/api/ledger?termId={county.Term}")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var trail = await auditor.GetFromJsonAsync<List<JsonElement>>("/api/audit");
        trail!.Select(e => e.GetProperty("action").GetString()).Should().Contain(["export", "export-unmasked"]);
        trail!.Where(e => e.GetProperty("objectType").GetString() == "Ledger").Should().OnlyContain(e => e.GetProperty("actor").GetString() == county.Accounts["approver"]);
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+86", "'+86")]
    [InlineData("-3", "'-3")]
    [InlineData("@SUM", "'@SUM")]
    [InlineData("\tx", "'\tx")]
    [InlineData("临翔区", "临翔区")]
    public void Neutralises_what_a_spreadsheet_would_run(string text, string expected) => ExportFile.Neutralise(text).Should().Be(expected);
}
