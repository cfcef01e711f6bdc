using System.Net;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Features.Coverage;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Ledger;

/// <summary>Issue 13 §4: the ledger's 备注 says what a reader of the row needs: a recorded grade exception, how the plan ended.</summary>
public sealed class LedgerRemarkTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public LedgerRemarkTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task A_grade_exception_and_the_approvers_close_show_in_the_remarks_in_one_line()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        var approver = await county.As("approver");
        var child = await county.NewChildAsync(grade: 2);
        await TermFacts.NameAsync(county, child, "等级例外童");
        var (_, plan) = await coordinator.CreatePlanAsync(child, county.Term);
        plan = await (await coordinator.ActAsync(plan!, "submit")).ReadPlanAsync();
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            (await db.Students.SingleAsync(s => s.Id == child)).DisabilityGrade = 3;
            await db.SaveChangesAsync();
        }
        plan = await (await approver.ActAsync(plan, "grade-exception", new { reason = "专家委员会认为确需送教上门" })).ReadPlanAsync();
        plan = await (await approver.ActAsync(plan, "approve", new { opinion = "同意" })).ReadPlanAsync();

        var row = (await TermFacts.LedgerAsync(county)).Single(r => r["姓名"] == "等级例外童");
        row["备注"].Should().Be("残疾等级例外：专家委员会认为确需送教上门；未排课", "the approver's login is no part of the ledger (the test accounts have no display name of their own)");

        (await approver.ActAsync(plan, "close")).StatusCode.Should().Be(HttpStatusCode.OK);

        row = (await TermFacts.LedgerAsync(county)).Single(r => r["姓名"] == "等级例外童");
        row["备注"].Should().Be("2026-09-07 审批人关闭；残疾等级例外：专家委员会认为确需送教上门；未排课");
    }

    [Fact]
    public async Task The_approvers_reason_for_closing_is_the_remark_and_a_hostile_one_is_refused()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        var approver = await county.As("approver");
        var child = await county.NewChildAsync();
        await TermFacts.NameAsync(county, child, "家长暂停童");
        var (_, plan) = await coordinator.CreatePlanAsync(child, county.Term);
        plan = await (await coordinator.ActAsync(plan!, "submit")).ReadPlanAsync();
        plan = await (await approver.ActAsync(plan, "approve", new { opinion = "同意" })).ReadPlanAsync();

        var hostile = await approver.ActAsync(plan, "close", new { reason = new string('长', 201) });
        hostile.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await hostile.Content.ReadAsStringAsync()).Should().Contain("\"reason\"");

        (await approver.ActAsync(plan, "close", new { reason = "家长申请暂停送教" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var row = (await TermFacts.LedgerAsync(county)).Single(r => r["姓名"] == "家长暂停童");
        row["备注"].Should().StartWith("2026-09-07 家长申请暂停送教");
    }
}
