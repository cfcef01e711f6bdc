using System.Net;
using System.Net.Http.Json;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Plans;

public sealed class PlanWorkflowTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public PlanWorkflowTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task A_plan_goes_from_draft_through_submission_to_approval_and_activation()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        var approver = await county.As("approver");

        var (created, plan) = await coordinator.CreatePlanAsync(await county.NewChildAsync(), county.Term);
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        plan!.Status.Should().Be(PlanStatus.Draft);

        var submitted = await (await coordinator.ActAsync(plan, "submit")).ReadPlanAsync();
        submitted.Status.Should().Be(PlanStatus.Submitted);
        submitted.Versions[0].SubmittedBy.Should().Be(county.Accounts["coordinator"]);

        var approved = await approver.ActAsync(submitted, "approve", new { opinion = "同意送教上门" });
        approved.StatusCode.Should().Be(HttpStatusCode.OK);
        var decided = await approved.ReadPlanAsync();
        decided.Status.Should().Be(PlanStatus.Approved);
        decided.Versions[0].Opinion.Should().Be("同意送教上门");
        decided.Versions[0].DecidedBy.Should().Be(county.Accounts["approver"]);

        var active = await (await approver.ActAsync(decided, "activate")).ReadPlanAsync();
        active.Status.Should().Be(PlanStatus.Active);
    }

    [Fact]
    public async Task Submission_names_every_failed_eligibility_condition()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        var (_, plan) = await coordinator.CreatePlanAsync(await county.NewChildAsync(grade: 3, conclusion: AssessmentConclusion.RegularClass, birth: new DateOnly(2009, 1, 20)), county.Term);

        var response = await coordinator.ActAsync(plan!, "submit");

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var body = await response.ReadJsonAsync();
        body.GetProperty("code").GetString().Should().Be("not_eligible");
        var codes = body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetString()).ToList();
        codes.Should().BeEquivalentTo("age", "disability_grade", "assessment");
        (await coordinator.GetPlanAsync(plan!.Id)).Status.Should().Be(PlanStatus.Draft, "a failed submission changes nothing");
    }

    [Fact]
    public async Task A_child_without_an_assessment_cannot_be_submitted()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        var (_, plan) = await coordinator.CreatePlanAsync(await county.NewChildAsync(conclusion: null), county.Term);

        var body = await (await coordinator.ActAsync(plan!, "submit")).ReadJsonAsync();

        body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetString()).Should().Equal("assessment");
    }

    [Fact]
    public async Task Changing_an_approved_plan_makes_a_new_version_and_leaves_the_approved_one_as_it_was()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        var approver = await county.As("approver");
        var (_, plan) = await coordinator.CreatePlanAsync(await county.NewChildAsync(grade: 2), county.Term, Api.WeeklyHomePlan(visits: 1));
        plan = await (await coordinator.ActAsync(plan!, "submit")).ReadPlanAsync();
        plan = await (await approver.ActAsync(plan, "approve", new { opinion = "同意" })).ReadPlanAsync();

        var change = new HttpRequestMessage(HttpMethod.Put, $"/api/plans/{plan.Id}")
        {
            Content = JsonContent.Create(Api.WeeklyHomePlan(visits: 2), options: ServiceFactory.Json),
            Headers = { { "If-Match", plan.ETag } },
        };
        var changed = await (await coordinator.SendAsync(change)).ReadPlanAsync();

        changed.Versions.Should().HaveCount(2);
        changed.Versions[0].Status.Should().Be(PlanStatus.Approved);
        changed.Versions[0].Plan.HomeVisitsPerWeek.Should().Be(1);
        changed.Versions[1].Status.Should().Be(PlanStatus.Draft);
        changed.Versions[1].Plan.HomeVisitsPerWeek.Should().Be(2);
    }

    [Fact]
    public async Task Nobody_decides_on_their_own_submission_and_only_approvers_decide()
    {
        var county = await _factory.LincangAsync();
        var admin = await county.As("admin");
        var (_, plan) = await admin.CreatePlanAsync(await county.NewChildAsync(), county.Term);
        plan = await (await admin.ActAsync(plan!, "submit")).ReadPlanAsync();

        (await admin.ActAsync(plan, "approve", new { opinion = "同意" })).StatusCode.Should().Be(HttpStatusCode.Forbidden, "an admin is not a bureau approver");

        // An approver who had submitted the version (as when one person holds both jobs) may not decide on it.
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ControlDropout.Web.Data.AppDbContext>();
            var version = db.PlanVersions.Single(v => v.PlanId == new PlanId(plan.Id));
            version.SubmittedBy = county.Accounts["approver"];
            await db.SaveChangesAsync();
        }
        var response = await (await county.As("approver")).ActAsync(plan, "approve", new { opinion = "同意" });

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.ReadJsonAsync()).GetProperty("code").GetString().Should().Be("own_submission");
    }

    [Fact]
    public async Task Rejection_needs_an_opinion_and_is_kept_with_the_version()
    {
        var county = await _factory.OtherCountyAsync();
        var coordinator = await county.As("coordinator");
        var approver = await county.As("approver");
        var (_, plan) = await coordinator.CreatePlanAsync(await county.NewChildAsync(), county.Term);
        plan = await (await coordinator.ActAsync(plan!, "submit")).ReadPlanAsync();

        (await approver.ActAsync(plan, "reject", new { opinion = "" })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var rejected = await (await approver.ActAsync(plan, "reject", new { opinion = "送教时段与监护人在家时间不符" })).ReadPlanAsync();

        rejected.Status.Should().Be(PlanStatus.Rejected);
        rejected.Versions[0].Opinion.Should().Be("送教时段与监护人在家时间不符");
    }

    [Fact]
    public async Task A_decision_needs_the_current_etag()
    {
        var county = await _factory.OtherCountyAsync();
        var coordinator = await county.As("coordinator");
        var approver = await county.As("approver");
        var (_, plan) = await coordinator.CreatePlanAsync(await county.NewChildAsync(), county.Term);
        var stale = plan!.ETag;
        plan = await (await coordinator.ActAsync(plan, "submit")).ReadPlanAsync();

        var missing = new HttpRequestMessage(HttpMethod.Post, $"/api/plans/{plan.Id}/approve") { Content = JsonContent.Create(new { opinion = "同意" }) };
        (await approver.SendAsync(missing)).StatusCode.Should().Be((HttpStatusCode)428);
        (await approver.ActAsync(plan, "approve", new { opinion = "同意" }, etag: stale)).StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task Auditors_and_teachers_cannot_write()
    {
        var county = await _factory.LincangAsync();

        foreach (var role in new[] { "auditor", "teacher" })
        {
            var client = await county.As(role);
            var (response, _) = await client.CreatePlanAsync(await county.NewChildAsync(), county.Term);
            response.StatusCode.Should().Be(HttpStatusCode.Forbidden, $"a {role} only reads");
        }
    }

    [Fact]
    public async Task Bad_content_is_refused_with_the_field_named()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        var content = Api.WeeklyHomePlan() with { Windows = [new(3, "17:00", "09:00")], HomeVisitsPerWeek = 0 };

        var (response, _) = await coordinator.CreatePlanAsync(await county.NewChildAsync(), county.Term, content);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        errors.GetProperty("plan.windows[0].from").EnumerateArray().Single().GetString().Should().Be("开始时间 17:00 须早于结束时间 09:00");
        errors.TryGetProperty("plan.homeVisitsPerWeek", out _).Should().BeTrue();
    }
}
