using System.Net;
using System.Text.RegularExpressions;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Plans;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ControlDropout.Web.Tests.Features.Plans;

/// <summary>
/// The plan page's forms go through the same door as the API: a role that may not take a step is refused
/// on the page too (issue 10: the auditor approved a plan by posting the page's form), and the plan is left as it was.
/// </summary>
public sealed class PlanPageDecisionTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public PlanPageDecisionTests(ServiceFactory factory)
    {
        // Every test signs in several roles from one address: more than a desk's per-minute limit.
        factory.Settings["Access:LoginAttemptsPerMinute"] = "1000";
        _factory = factory;
    }

    private Task<HttpClient> SignedInAsync(TestCounty county, string role) => PageBrowser.SignedInAsync(_factory, county, role);

    /// <summary>Opens the plan's page as the role (so the form's token is the role's own) and posts one of its handlers with the plan's current ETag.</summary>
    private async Task<HttpResponseMessage> PostAsync(TestCounty county, string role, PlanDto plan, string handler, Dictionary<string, string>? fields = null)
    {
        var client = await SignedInAsync(county, role);
        var page = await client.GetAsync(new Uri($"/plans/{plan.Id}", UriKind.Relative));
        page.StatusCode.Should().Be(HttpStatusCode.OK, $"a {role} may read a plan of the county that names their team");
        var token = PageBrowser.TokenIn(await page.Content.ReadAsStringAsync());
        var current = await (await county.As("admin")).GetPlanAsync(plan.Id);
        var form = new Dictionary<string, string>(fields ?? []) { ["etag"] = current.ETag, ["__RequestVerificationToken"] = token };
        return await client.PostAsync(new Uri($"/plans/{plan.Id}?handler={handler}", UriKind.Relative), new FormUrlEncodedContent(form));
    }

    /// <summary>A plan naming the county's teacher, so that every role of the county can open its page.</summary>
    private static async Task<PlanDto> PlanAsync(TestCounty county, PlanStatus status)
    {
        var coordinator = await county.As("coordinator");
        var approver = await county.As("approver");
        var (_, plan) = await coordinator.CreatePlanAsync(await county.NewChildAsync(), county.Term, Api.WeeklyHomePlan() with { PreferredStaffIds = [county.Teacher.Value] });
        if (status == PlanStatus.Draft)
        {
            return plan!;
        }
        plan = await (await coordinator.ActAsync(plan!, "submit")).ReadPlanAsync();
        if (status == PlanStatus.Submitted)
        {
            return plan;
        }
        plan = await (await approver.ActAsync(plan, "approve", new { opinion = "同意" })).ReadPlanAsync();
        plan.Status.Should().Be(status, "the test asks for a plan in this state");
        return plan;
    }

    [Theory]
    [InlineData("auditor")]
    [InlineData("teacher")]
    [InlineData("coordinator")]
    [InlineData("admin")]
    public async Task A_role_that_may_not_decide_cannot_approve_or_reject_on_the_page(string role)
    {
        var county = await _factory.LincangAsync();
        var plan = await PlanAsync(county, PlanStatus.Submitted);

        foreach (var handler in new[] { "Approve", "Reject" })
        {
            var response = await PostAsync(county, role, plan, handler, new() { ["Opinion"] = "同意" });

            response.StatusCode.Should().Be(HttpStatusCode.Forbidden, $"a {role} may not {handler} a plan");
            (await response.Content.ReadAsStringAsync()).Should().Contain("您的角色无权执行此操作");
        }
        var after = await (await county.As("admin")).GetPlanAsync(plan.Id);
        after.Status.Should().Be(PlanStatus.Submitted);
        after.Versions.Single().DecidedBy.Should().BeNull();
    }

    [Theory]
    [InlineData("auditor")]
    [InlineData("teacher")]
    [InlineData("coordinator")]
    [InlineData("admin")]
    public async Task A_role_that_may_not_decide_cannot_activate_or_record_a_grade_exception_on_the_page(string role)
    {
        var county = await _factory.LincangAsync();
        var approved = await PlanAsync(county, PlanStatus.Approved);
        var draft = await PlanAsync(county, PlanStatus.Draft);

        (await PostAsync(county, role, approved, "Activate")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await PostAsync(county, role, draft, "GradeException", new() { ["Reason"] = "专家委员会认为确需送教" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var admin = await county.As("admin");
        (await admin.GetPlanAsync(approved.Id)).Status.Should().Be(PlanStatus.Approved);
        (await admin.GetPlanAsync(draft.Id)).Versions.Single().GradeException.Should().BeNull();
    }

    [Theory]
    [InlineData("auditor")]
    [InlineData("teacher")]
    [InlineData("approver")]
    public async Task A_role_that_may_not_edit_plans_cannot_submit_one_on_the_page(string role)
    {
        var county = await _factory.LincangAsync();
        var draft = await PlanAsync(county, PlanStatus.Draft);

        (await PostAsync(county, role, draft, "Submit")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        (await (await county.As("admin")).GetPlanAsync(draft.Id)).Status.Should().Be(PlanStatus.Draft);
    }

    [Fact]
    public async Task The_coordinator_submits_and_the_approver_approves_on_the_page()
    {
        var county = await _factory.LincangAsync();
        var draft = await PlanAsync(county, PlanStatus.Draft);

        var submitted = await PostAsync(county, "coordinator", draft, "Submit");
        submitted.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var approved = await PostAsync(county, "approver", draft, "Approve", new() { ["Opinion"] = "同意送教上门" });
        approved.StatusCode.Should().Be(HttpStatusCode.Redirect);

        var after = await (await county.As("admin")).GetPlanAsync(draft.Id);
        after.Status.Should().Be(PlanStatus.Approved);
        after.Versions.Single().DecidedBy.Should().Be(county.Accounts["approver"]);
    }

    [Fact]
    public async Task A_form_with_a_stale_etag_decides_nothing()
    {
        var county = await _factory.LincangAsync();
        var plan = await PlanAsync(county, PlanStatus.Submitted);
        var client = await SignedInAsync(county, "approver");
        var page = await (await client.GetAsync(new Uri($"/plans/{plan.Id}", UriKind.Relative))).Content.ReadAsStringAsync();

        var response = await client.PostAsync(new Uri($"/plans/{plan.Id}?handler=Approve", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["etag"] = "\"1-1\"", ["Opinion"] = "同意", ["__RequestVerificationToken"] = PageBrowser.TokenIn(page),
        }));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("记录已被他人修改");
        (await (await county.As("admin")).GetPlanAsync(plan.Id)).Status.Should().Be(PlanStatus.Submitted);
    }
}
