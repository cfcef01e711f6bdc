using System.Net;
using System.Net.Http.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Plans;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Plans;

/// <summary>
/// Issue 12 §5 and §1: a decision asks the rules again at decision time (a child shown "✗ 残疾等级 3 级" in
/// the queue was approved with no exception), and the plan's first approval fixes the day it takes effect.
/// The fake clock stands at Monday 2026-09-07, 09:00 in China; the term runs 2026-09-01 – 2027-01-22.
/// </summary>
public sealed class PlanDecisionRulesTests : IClassFixture<ServiceFactory>
{
    private static readonly DateOnly Today = new(2026, 9, 7);
    private readonly ServiceFactory _factory;

    public PlanDecisionRulesTests(ServiceFactory factory) => _factory = factory;

    private static async Task<PlanDto> SubmittedAsync(TestCounty county, StudentId child, PlanContent? content = null)
    {
        var coordinator = await county.As("coordinator");
        var (created, plan) = await coordinator.CreatePlanAsync(child, county.Term, content);
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var submitted = await coordinator.ActAsync(plan!, "submit");
        submitted.StatusCode.Should().Be(HttpStatusCode.OK, await submitted.Content.ReadAsStringAsync());
        return await submitted.ReadPlanAsync();
    }

    private async Task ChangeChildAsync(StudentId child, Action<Student> change)
    {
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        change(await db.Students.SingleAsync(s => s.Id == child));
        await db.SaveChangesAsync();
    }

    /// <summary>A later assessment of the child by the expert committee.</summary>
    private async Task ReassessAsync(StudentId child, AssessmentConclusion conclusion)
    {
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Assessments.Add(new Assessment { StudentId = child, Date = new DateOnly(2026, 9, 1), Conclusion = conclusion });
        await db.SaveChangesAsync();
    }

    private static async Task<List<string?>> FailedConditionsAsync(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, await response.Content.ReadAsStringAsync());
        var body = await response.ReadJsonAsync();
        body.GetProperty("code").GetString().Should().Be("not_eligible");
        return [.. body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetString())];
    }

    [Fact]
    public async Task Approving_a_plan_whose_child_is_no_longer_eligible_is_refused_naming_the_condition_until_an_exception_is_recorded()
    {
        var county = await _factory.LincangAsync();
        var approver = await county.As("approver");
        var child = await county.NewChildAsync(grade: 2);
        var plan = await SubmittedAsync(county, child);
        // The record changed after the submission (a re-assessment put the child at 残疾等级 3).
        await ChangeChildAsync(child, s => s.DisabilityGrade = 3);

        (await FailedConditionsAsync(await approver.ActAsync(plan, "approve", new { opinion = "同意" }))).Should().Equal("disability_grade");
        var refused = await approver.GetPlanAsync(plan.Id);
        refused.Status.Should().Be(PlanStatus.Submitted, "a refused approval decides nothing");
        refused.EffectiveFrom.Should().BeNull();

        var excepted = await approver.ActAsync(plan, "grade-exception", new { reason = "专家委员会认为确需送教上门" });
        excepted.StatusCode.Should().Be(HttpStatusCode.OK, await excepted.Content.ReadAsStringAsync());
        var withException = await excepted.ReadPlanAsync();
        withException.Status.Should().Be(PlanStatus.Submitted, "recording the exception does not reopen the submitted version");
        withException.ETag.Should().NotBe(plan.ETag, "the exception is a write: the next decision needs the new ETag");
        System.Text.Json.JsonSerializer.Serialize(withException.Versions.Single().Plan).Should().Be(System.Text.Json.JsonSerializer.Serialize(plan.Versions.Single().Plan), "the submitted content stays frozen");
        withException.Versions.Single().GradeException.Should().StartWith("专家委员会认为确需送教上门");
        (await approver.ActAsync(withException, "approve", new { opinion = "同意" }, etag: plan.ETag)).StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);

        var approved = await approver.ActAsync(withException, "approve", new { opinion = "同意（等级例外已登记）" });

        approved.StatusCode.Should().Be(HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
        (await approved.ReadPlanAsync()).Status.Should().Be(PlanStatus.Approved);
    }

    [Fact]
    public async Task A_condition_no_exception_covers_refuses_the_approval_whatever_is_recorded()
    {
        var county = await _factory.LincangAsync();
        var approver = await county.As("approver");
        var child = await county.NewChildAsync();
        var plan = await SubmittedAsync(county, child);
        await ReassessAsync(child, AssessmentConclusion.RegularClass);

        (await FailedConditionsAsync(await approver.ActAsync(plan, "approve", new { opinion = "同意" }))).Should().Equal("assessment");
        // A rejection asks no eligibility: a plan that may not be approved can still be sent back.
        (await approver.ActAsync(plan, "reject", new { opinion = "评估结论已改为随班就读" })).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_grade_exception_is_refused_on_a_decided_plan()
    {
        var county = await _factory.LincangAsync();
        var approver = await county.As("approver");
        var plan = await SubmittedAsync(county, await county.NewChildAsync());
        plan = await (await approver.ActAsync(plan, "approve", new { opinion = "同意" })).ReadPlanAsync();

        var response = await approver.ActAsync(plan, "grade-exception", new { reason = "补登" });

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await response.ReadJsonAsync()).GetProperty("code").GetString().Should().Be("not_a_draft");
    }

    [Fact]
    public async Task The_first_approval_fixes_the_effective_date_today_and_a_later_version_never_moves_it()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        var approver = await county.As("approver");
        var plan = await SubmittedAsync(county, await county.NewChildAsync());
        plan.EffectiveFrom.Should().BeNull("a plan awaiting its decision is in force on no day");

        plan = await (await approver.ActAsync(plan, "approve", new { opinion = "同意" })).ReadPlanAsync();

        plan.EffectiveFrom.Should().Be(Today, "approved on a teaching Monday, it takes effect that day");
        plan.EffectiveUntil.Should().BeNull();

        // A new version asking for a later start, approved: the plan has been in force since its first approval.
        var change = new HttpRequestMessage(HttpMethod.Put, $"/api/plans/{plan.Id}")
        {
            Content = JsonContent.Create(Api.WeeklyHomePlan(visits: 2) with { StartDate = new DateOnly(2026, 11, 2) }, options: ServiceFactory.Json),
            Headers = { { "If-Match", plan.ETag } },
        };
        plan = await (await coordinator.SendAsync(change)).ReadPlanAsync();
        plan.Versions[^1].Plan.StartDate.Should().Be(new DateOnly(2026, 11, 2));
        plan = await (await coordinator.ActAsync(plan, "submit")).ReadPlanAsync();
        plan = await (await approver.ActAsync(plan, "approve", new { opinion = "同意" })).ReadPlanAsync();

        plan.Status.Should().Be(PlanStatus.Approved);
        plan.EffectiveFrom.Should().Be(Today);
    }

    [Theory]
    [InlineData("2026-10-01", "2026-10-08")] // 国庆 1–7 October: the first teaching day after it
    [InlineData("2026-09-25", "2026-09-28")] // 中秋 on a Friday, then the weekend
    [InlineData("2026-09-15", "2026-09-16")] // the county-wide closure below
    [InlineData("2026-09-22", "2026-09-22")] // a township's closure does not move the county's plan
    public async Task A_start_date_asks_for_the_first_teaching_day_on_or_after_it(string start, string expected)
    {
        var county = await _factory.OtherCountyAsync();
        await AddClosureAsync(county, null, new DateOnly(2026, 9, 15), new DateOnly(2026, 9, 15));
        await AddClosureAsync(county, county.Code + "102", new DateOnly(2026, 9, 22), new DateOnly(2026, 9, 22));
        var approver = await county.As("approver");
        var plan = await SubmittedAsync(county, await county.NewChildAsync(), Api.WeeklyHomePlan() with { StartDate = DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture) });

        var approved = await (await approver.ActAsync(plan, "approve", new { opinion = "同意" })).ReadPlanAsync();

        approved.EffectiveFrom.Should().Be(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task An_approval_with_no_teaching_day_left_in_the_term_is_refused_and_decides_nothing()
    {
        var county = await _factory.OtherCountyAsync();
        await AddClosureAsync(county, null, new DateOnly(2027, 1, 18), new DateOnly(2027, 1, 22));
        var approver = await county.As("approver");
        var plan = await SubmittedAsync(county, await county.NewChildAsync(), Api.WeeklyHomePlan() with { StartDate = new DateOnly(2027, 1, 19) });

        var response = await approver.ActAsync(plan, "approve", new { opinion = "同意" });

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var body = await response.ReadJsonAsync();
        body.GetProperty("code").GetString().Should().Be("no_teaching_day_left");
        body.GetProperty("title").GetString().Should().Contain("2027-01-19");
        var after = await approver.GetPlanAsync(plan.Id);
        after.Status.Should().Be(PlanStatus.Submitted);
        after.EffectiveFrom.Should().BeNull();
    }

    [Fact]
    public async Task A_start_date_outside_the_term_is_refused_beside_the_field()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");

        var (before, _) = await coordinator.CreatePlanAsync(await county.NewChildAsync(), county.Term, Api.WeeklyHomePlan() with { StartDate = new DateOnly(2027, 2, 1) });
        var (absurd, _) = await coordinator.CreatePlanAsync(await county.NewChildAsync(), county.Term, Api.WeeklyHomePlan() with { StartDate = new DateOnly(1900, 1, 1) });

        before.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await before.ReadJsonAsync()).GetProperty("errors").GetProperty("plan.startDate")[0].GetString().Should().Be("开始日期须在学期内（2026-09-01 至 2027-01-22）");
        absurd.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await absurd.ReadJsonAsync()).GetProperty("errors").TryGetProperty("plan.startDate", out _).Should().BeTrue();

        var (_, plan) = await coordinator.CreatePlanAsync(await county.NewChildAsync(), county.Term);
        var change = new HttpRequestMessage(HttpMethod.Put, $"/api/plans/{plan!.Id}")
        {
            Content = JsonContent.Create(Api.WeeklyHomePlan() with { StartDate = new DateOnly(2026, 8, 31) }, options: ServiceFactory.Json),
            Headers = { { "If-Match", plan.ETag } },
        };
        var updated = await coordinator.SendAsync(change);
        updated.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await updated.ReadJsonAsync()).GetProperty("errors").TryGetProperty("plan.startDate", out _).Should().BeTrue();
        (await coordinator.GetPlanAsync(plan.Id)).Versions.Single().Plan.StartDate.Should().BeNull();
    }

    [Fact]
    public async Task Closing_a_plan_ends_its_effective_span_today()
    {
        var county = await _factory.LincangAsync();
        var approver = await county.As("approver");
        var plan = await SubmittedAsync(county, await county.NewChildAsync());
        plan = await (await approver.ActAsync(plan, "approve", new { opinion = "同意" })).ReadPlanAsync();

        var closed = await (await approver.ActAsync(plan, "close")).ReadPlanAsync();

        closed.Status.Should().Be(PlanStatus.Closed);
        closed.EffectiveFrom.Should().Be(Today);
        closed.EffectiveUntil.Should().Be(Today);
    }

    [Fact]
    public async Task A_plan_in_force_from_before_effective_dates_keeps_running_from_the_term_start_when_a_new_version_is_approved()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        var approver = await county.As("approver");
        var plan = await SubmittedAsync(county, await county.NewChildAsync());
        plan = await (await approver.ActAsync(plan, "approve", new { opinion = "同意" })).ReadPlanAsync();
        using (var scope = _factory.Services.CreateScope())
        {
            // As a plan approved before effective dates existed: none stored, so it runs from the term's first day.
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            (await db.Plans.SingleAsync(p => p.Id == new PlanId(plan.Id))).EffectiveFrom = null;
            await db.SaveChangesAsync();
        }
        var change = new HttpRequestMessage(HttpMethod.Put, $"/api/plans/{plan.Id}")
        {
            Content = JsonContent.Create(Api.WeeklyHomePlan(visits: 2), options: ServiceFactory.Json),
            Headers = { { "If-Match", plan.ETag } },
        };
        plan = await (await coordinator.SendAsync(change)).ReadPlanAsync();
        plan = await (await coordinator.ActAsync(plan, "submit")).ReadPlanAsync();

        plan = await (await approver.ActAsync(plan, "approve", new { opinion = "同意" })).ReadPlanAsync();

        plan.Status.Should().Be(PlanStatus.Approved);
        plan.EffectiveFrom.Should().BeNull("moving it to today would take the weeks since the term's start out of the child's plan");
    }

    private async Task AddClosureAsync(TestCounty county, string? township, DateOnly first, DateOnly last)
    {
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (await db.Closures.AnyAsync(c => c.CountyCode == county.Code && c.TownshipCode == township && c.FirstDay == first))
        {
            return;
        }
        db.Closures.Add(new Closure { CountyCode = county.Code, TownshipCode = township, FirstDay = first, LastDay = last, Reason = "测试停课", CreatedBy = "test", CreatedAt = _factory.Clock.GetUtcNow() });
        await db.SaveChangesAsync();
    }
}
