using System.Net;
using System.Net.Http.Json;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.Plans;

public sealed class ConcurrentDecisionTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public ConcurrentDecisionTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task Twenty_parallel_approvals_of_one_plan_give_exactly_one_success()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        var (_, plan) = await coordinator.CreatePlanAsync(await county.NewChildAsync(), county.Term);
        plan = await (await coordinator.ActAsync(plan!, "submit")).ReadPlanAsync();
        var approvers = new[] { await county.As("approver"), await county.As("approver2") };

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            approvers[i % 2].ActAsync(plan, i % 3 == 0 ? "reject" : "approve", new { opinion = $"意见 {i}" })));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).Should().Be(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.PreconditionFailed).Should().Be(19);
        var final = await coordinator.GetPlanAsync(plan.Id);
        final.Status.Should().BeOneOf(PlanStatus.Approved, PlanStatus.Rejected);
        final.Versions.Should().ContainSingle().Which.Opinion.Should().StartWith("意见 ");
        var chain = await (await county.As("auditor")).GetFromJsonAsync<System.Text.Json.JsonElement>("/api/audit/verify");
        chain.GetProperty("intact").GetBoolean().Should().BeTrue("concurrent writers never chain onto the same row");
    }
}
