using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using MiniExcelLibs;

namespace ControlDropout.Web.Tests.Features.TeachingFile;

public sealed class TeachingFileTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public TeachingFileTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task A_childs_teaching_file_holds_the_approved_plan_the_timetable_and_every_record()
    {
        var county = await _factory.LincangAsync();
        var child = (await SchedulableCounty.AddAsync(county, children: 1)).Single();
        var approver = await county.As("approver");
        var timetable = await approver.RunAndPublishAsync(county.Term);
        var session = (await approver.GetFromJsonAsync<List<JsonElement>>($"/api/timetables/{timetable}/sessions?week=2026-W37"))!.Single();
        (await (await county.As("coordinator")).PostAsJsonAsync("/api/visits", new
        {
            sessionKey = session.GetProperty("sessionKey").GetString(), date = session.GetProperty("date").GetString(), start = "09:00", end = "10:20",
            staffPresent = session.GetProperty("staffIds").EnumerateArray().Select(x => x.GetGuid()).ToArray(), place = "Home",
            content = "=1+1 <b>抓握</b>", goalsAddressed = new[] { "抓握" }, guardianName = "周某",
        })).EnsureSuccessStatusCode();

        var xlsx = await approver.GetByteArrayAsync($"/api/students/{child}/teaching-file?termId={county.Term}");
        var html = await approver.GetStringAsync($"/api/students/{child}/teaching-file?termId={county.Term}&format=html");

        new MemoryStream(xlsx).GetSheetNames().Should().Equal("方案", "课表", "送教记录");
        var plan = new MemoryStream(xlsx).Query(useHeaderRow: true, sheetName: "方案").Cast<IDictionary<string, object>>().ToDictionary(r => (string)r["项目"], r => (string)r["内容"]);
        plan["方案版本"].Should().Be("第1版");
        plan["审批人"].Should().Be("approver");
        plan["审批日期"].Should().Be("2026-08-20");
        new MemoryStream(xlsx).Query(useHeaderRow: true, sheetName: "课表").Should().NotBeEmpty();
        var record = new MemoryStream(xlsx).Query(useHeaderRow: true, sheetName: "送教记录").Cast<IDictionary<string, object>>().Single();
        ((string)record["授课内容"]).Should().Be("'=1+1 <b>抓握</b>");
        html.Should().Contain("送教档案").And.Contain("=1+1 &lt;b&gt;抓握&lt;/b&gt;").And.NotContain("<b>抓握</b>");
        var trail = await (await county.As("auditor")).GetFromJsonAsync<List<JsonElement>>("/api/audit");
        trail!.Count(e => e.GetProperty("objectType").GetString() == "TeachingFile").Should().Be(2);
    }
}
