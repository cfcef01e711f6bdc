using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Audit;

public sealed class AuditTrailTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public AuditTrailTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task Every_change_is_recorded_with_who_and_what_but_no_personal_data()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        var (_, plan) = await coordinator.CreatePlanAsync(await county.NewChildAsync(), county.Term);
        await coordinator.ActAsync(plan!, "submit");

        var rows = await (await county.As("auditor")).GetFromJsonAsync<List<JsonElement>>("/api/audit");

        var mine = rows!.Where(r => r.GetProperty("actor").GetString() == county.Accounts["coordinator"]).ToList();
        mine.Should().Contain(r => r.GetProperty("objectType").GetString() == "Plan" && r.GetProperty("action").GetString() == "added");
        var submitted = mine.Single(r => r.GetProperty("objectType").GetString() == "PlanVersion" && r.GetProperty("action").GetString() == "modified");
        submitted.GetProperty("role").GetString().Should().Be("coordinator");
        submitted.GetProperty("summary").GetString().Should().Contain("Status: Draft → Submitted").And.Contain("SubmittedBy: changed");
        submitted.GetProperty("requestId").GetString().Should().NotBeEmpty();
        var all = JsonSerializer.Serialize(rows);
        all.Should().NotContain("孙某某").And.NotContain("13800001234").And.NotContain("生活适应", "plan content stays out of the trail");
    }

    [Fact]
    public async Task A_changed_day_reads_as_a_date_on_the_trail()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        var child = await county.NewChildAsync();
        var response = await coordinator.PostAsJsonAsync($"/api/students/{child}/assessments", new { date = "2026-08-31", conclusion = "HomeTeaching", documentNo = "临翔教专评〔2026〕99号" });
        response.StatusCode.Should().Be(HttpStatusCode.Created);

        var rows = await (await county.As("auditor")).GetFromJsonAsync<List<JsonElement>>("/api/audit");

        var added = rows!.First(r => r.GetProperty("objectType").GetString() == "Assessment" && r.GetProperty("action").GetString() == "added");
        added.GetProperty("summary").GetString().Should().Contain("Date: ∅ → 2026-08-31", "a day is written yyyy-MM-dd, never 08/31/2026")
            .And.Contain("Conclusion: ∅ → HomeTeaching").And.NotContain("99号", "the 文号 names no one but is not among the plain fields");
    }

    [Fact]
    public async Task The_chain_check_finds_the_first_changed_or_deleted_row()
    {
        var county = await _factory.OtherCountyAsync();
        var auditor = await county.As("auditor");
        var coordinator = await county.As("coordinator");
        await coordinator.CreatePlanAsync(await county.NewChildAsync(), county.Term);
        (await auditor.GetFromJsonAsync<JsonElement>("/api/audit/verify")).GetProperty("intact").GetBoolean().Should().BeTrue();

        long tampered;
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            tampered = await db.Audit.OrderBy(e => e.Id).Skip(3).Select(e => e.Id).FirstAsync();
            // As someone with database access would: rewrite what a row says, past SaveChanges and its chain.
            await db.Audit.Where(e => e.Id == tampered).ExecuteUpdateAsync(s => s.SetProperty(e => e.Actor, "nobody"));
        }

        var verdict = await auditor.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        verdict.GetProperty("intact").GetBoolean().Should().BeFalse();
        verdict.GetProperty("firstBrokenId").GetInt64().Should().Be(tampered);
    }

    [Fact]
    public async Task Only_auditors_and_admins_read_the_trail()
    {
        var county = await _factory.LincangAsync();

        (await (await county.As("coordinator")).GetAsync("/api/audit")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await (await county.As("approver")).GetAsync("/api/audit/verify")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await (await county.As("admin")).GetAsync("/api/audit")).StatusCode.Should().Be(HttpStatusCode.OK);
        var rows = await (await county.As("auditor")).GetFromJsonAsync<List<JsonElement>>("/api/audit");
        rows!.Should().NotContain(r => r.GetProperty("actor").GetString()!.EndsWith("530927", StringComparison.Ordinal), "another county's rows are not shown");
    }
}
