using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Coverage;

/// <summary>
/// Issue 12 §1: coverage over effective spans. A child whose plan takes effect mid-term is not in plan before
/// it, and never missed there; only a past week is missed; a future week is upcoming, or unscheduled when
/// too little is scheduled. The clock stands on Monday 7 September (2026-W37) throughout.
/// </summary>
public sealed class CoverageOverTimeTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public CoverageOverTimeTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task A_plan_taking_effect_mid_term_is_not_in_plan_before_and_never_missed_outside_its_span_and_future_weeks_are_upcoming()
    {
        var county = await _factory.LincangAsync();
        var children = await SchedulableCounty.AddAsync(county, children: 2);
        var (whole, late) = (children[0], children[1]);
        // Approved for 12 October (Monday of 2026-W42): whatever a run placed before, that is not the plan's.
        await TermFacts.TakesEffectAsync(county, late, new DateOnly(2026, 10, 12));
        await (await county.As("approver")).RunAndPublishAsync(county.Term);
        // A child on the roll after the run: in plan, but nothing scheduled.
        var unscheduled = (await SchedulableCounty.AddAsync(county, children: 1)).Single();
        // The county closes its schools for the whole of 2026-W39: a week with no teaching day.
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ControlDropout.Web.Data.AppDbContext>();
            db.Closures.Add(new ControlDropout.Web.Domain.Closure { CountyCode = county.Code, FirstDay = new DateOnly(2026, 9, 21), LastDay = new DateOnly(2026, 9, 25), Reason = "全县停课", CreatedBy = "approver", CreatedAt = _factory.Clock.GetUtcNow() });
            await db.SaveChangesAsync();
        }

        var matrix = await TermFacts.MatrixAsync(county);

        var lateWeeks = matrix[late.Value];
        var before = lateWeeks.Where(w => string.CompareOrdinal(w.Key, "2026-W42") < 0).ToList();
        before.Should().NotBeEmpty();
        before.Should().OnlyContain(w => w.Value == "NotInPlan" || w.Value == "Exempt", "the plan was not in force before 12 October");
        before.Should().Contain(w => w.Key == "2026-W36" && w.Value == "NotInPlan", "a past week before the plan is not missed");
        lateWeeks["2026-W42"].Should().Be("Upcoming", "the first week of the plan is still to come and scheduled");
        lateWeeks.Values.Should().NotContain("Missed");
        // A week without teaching days is exempt for a child in plan, and not in plan for one approved later.
        lateWeeks["2026-W39"].Should().Be("NotInPlan");
        matrix[whole.Value]["2026-W39"].Should().Be("Exempt");

        var wholeWeeks = matrix[whole.Value];
        wholeWeeks["2026-W36"].Should().Be("Missed", "a past week of the plan with nothing delivered");
        wholeWeeks["2026-W37"].Should().Be("AtRisk", "the running week, scheduled, not delivered yet");
        wholeWeeks["2026-W38"].Should().Be("Upcoming", "a future week is upcoming, not missed");
        wholeWeeks.Where(w => string.CompareOrdinal(w.Key, "2026-W37") > 0).Select(w => w.Value).Should().OnlyContain(s => s == "Upcoming" || s == "Exempt");

        var nothing = matrix[unscheduled.Value];
        nothing["2026-W36"].Should().Be("Missed", "a past week is never unscheduled");
        nothing["2026-W37"].Should().Be("Unscheduled");
        nothing["2026-W38"].Should().Be("Unscheduled");

        // The weekly answer is about the children whose plan was in force that week (a later plan adds no row to
        // a past week); its roll-ups count each status.
        var week36 = await (await county.As("auditor")).GetFromJsonAsync<JsonElement>($"/api/coverage?termId={county.Term}&week=2026-W36");
        var total = week36.GetProperty("county");
        week36.GetProperty("rows").EnumerateArray().Should().NotContain(r => r.GetProperty("studentId").GetGuid() == late.Value);
        total.GetProperty("missed").GetInt32().Should().Be(2);
        total.GetProperty("children").GetInt32().Should().Be(2, "the children whose plan was in force that week");
        var week38 = await (await county.As("auditor")).GetFromJsonAsync<JsonElement>($"/api/coverage?termId={county.Term}&week=2026-W38");
        week38.GetProperty("rows").EnumerateArray().Should().NotContain(r => r.GetProperty("studentId").GetGuid() == late.Value);
        var county38 = week38.GetProperty("county");
        (county38.GetProperty("upcoming").GetInt32(), county38.GetProperty("unscheduled").GetInt32(), county38.GetProperty("missed").GetInt32(), county38.GetProperty("children").GetInt32())
            .Should().Be((1, 1, 0, 2));
    }
}
