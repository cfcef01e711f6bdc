using ControlDropout.Web.Data;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Features.Coverage;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Coverage;

/// <summary>
/// Issue 16 §4: coverage read from the maintained summary equals the term record from scratch after each kind of
/// write (publish, a plan closing, a child moving village, the policy's grace period) and after the clock alone moves
/// past week ends; and a database with no summary rows (one upgraded from before it) is filled at start-up.
/// </summary>
public sealed class CoverageSummaryTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public CoverageSummaryTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task The_summary_reads_as_the_term_record_after_every_write_and_as_the_clock_moves()
    {
        var county = await _factory.LincangAsync();
        var children = await SchedulableCounty.AddAsync(county, children: 3);
        (await SummaryAgreement.DisagreementsAsync(_factory, "plans")).Should().BeEmpty();
        await (await county.As("approver")).RunAndPublishAsync(county.Term);
        (await SummaryAgreement.DisagreementsAsync(_factory, "published")).Should().BeEmpty();
        (await RowsAsync(county)).Should().BeGreaterThan(0);

        // Nothing written: the running week turns missed and pending sessions pass their grace period on the clock alone.
        _factory.Clock.Advance(TimeSpan.FromDays(16));
        (await SummaryAgreement.DisagreementsAsync(_factory, "two weeks later")).Should().BeEmpty();

        await EditAsync(async db => (await db.Plans.SingleAsync(p => p.StudentId == children[0] && p.TermId == county.Term)).EffectiveUntil = new DateOnly(2026, 10, 16));
        (await SummaryAgreement.DisagreementsAsync(_factory, "a plan closed")).Should().BeEmpty();

        await EditAsync(async db => (await db.Students.SingleAsync(s => s.Id == children[1])).VillageCode = county.Code + "102201");
        (await SummaryAgreement.DisagreementsAsync(_factory, "a child moved")).Should().BeEmpty();

        await EditAsync(async db =>
        {
            var policy = await db.Policies.SingleOrDefaultAsync(p => p.CountyCode == county.Code);
            if (policy is null)
            {
                policy = ControlDropout.Web.Domain.CountyPolicy.LincangDefault(county.Code);
                db.Policies.Add(policy);
            }
            policy.MissedGraceHours = 24 * 30;
            policy.MinSessionsPerTeachingWeek = 2;
        });
        (await SummaryAgreement.DisagreementsAsync(_factory, "policy changed")).Should().BeEmpty();

        // A database from before the summary: no rows, which the check sees, until start-up fills them.
        await EditAsync(db => db.CoverageWeeks.ExecuteDeleteAsync());
        (await SummaryAgreement.DisagreementsAsync(_factory, "rows gone")).Should().NotBeEmpty();
        using (var scope = _factory.Services.CreateScope())
        {
            await CoverageSummary.FillMissingAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), scope.ServiceProvider.GetRequiredService<HolidayCalendar>(), CancellationToken.None);
        }
        (await SummaryAgreement.DisagreementsAsync(_factory, "filled at start-up")).Should().BeEmpty();
    }

    private async Task EditAsync(Func<AppDbContext, Task> edit)
    {
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await edit(db);
        await db.SaveChangesAsync();
    }

    private async Task<int> RowsAsync(TestCounty county)
    {
        using var scope = _factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().CoverageWeeks.CountAsync(w => w.CountyCode == county.Code);
    }
}
