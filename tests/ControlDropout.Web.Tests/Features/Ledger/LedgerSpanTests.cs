using System.Globalization;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Features.Coverage;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.Ledger;

/// <summary>Issue 12 §1: the ledger's planned, delivered and missed counts run over each child's effective span.</summary>
public sealed class LedgerSpanTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public LedgerSpanTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task A_child_approved_today_counts_the_sessions_from_its_effective_day_none_delivered_none_missed()
    {
        var county = await _factory.LincangAsync();
        var children = await SchedulableCounty.AddAsync(county, children: 2);
        var (whole, today) = (children[0], children[1]);
        await TermFacts.NameAsync(county, whole, "全学期");
        await TermFacts.NameAsync(county, today, "今天批准");
        // Approved on Monday 7 September, the clock's day: in force from today.
        await TermFacts.TakesEffectAsync(county, today, new DateOnly(2026, 9, 7));
        await (await county.As("approver")).RunAndPublishAsync(county.Term);

        var ledger = await TermFacts.LedgerAsync(county);

        var row = ledger.Single(r => r["姓名"] == "今天批准");
        var fromToday = (await TermFacts.SessionsAsync(county, today)).Where(s => s.Date >= new DateOnly(2026, 9, 7) && s.Status != SessionStatus.Cancelled).ToList();
        fromToday.Should().NotBeEmpty();
        row["本学期计划次数"].Should().Be(fromToday.Count.ToString(CultureInfo.InvariantCulture), "planned runs from the effective day, not the term's start");
        row["已送次数"].Should().Be("0");
        row["缺送次数"].Should().Be("0", "nothing before its effective day counts against it");
        row["累计课时"].Should().Be("0");
        row["生效日期"].Should().Be("2026-09-07 至 2027-01-22");

        // A plan in force from the term's start: what was due in the first week and not recorded is missed, with its reason.
        var wholeRow = ledger.Single(r => r["姓名"] == "全学期");
        wholeRow["生效日期"].Should().Be("2026-09-01 至 2027-01-22");
        var wholeSessions = (await TermFacts.SessionsAsync(county, whole)).Where(s => s.Status != SessionStatus.Cancelled).ToList();
        wholeRow["本学期计划次数"].Should().Be(wholeSessions.Count.ToString(CultureInfo.InvariantCulture));
        var overdue = wholeSessions.Count(s => Web.Domain.RecordFacts.EndOf(s).AddHours(48) <= _factory.Clock.GetUtcNow());
        wholeRow["缺送次数"].Should().Be(overdue.ToString(CultureInfo.InvariantCulture), "a past session with no record after 48 hours is missed");
        if (overdue > 0)
        {
            wholeRow["缺送次数及原因"].Should().StartWith($"{overdue}（逾期无送教记录");
        }
    }
}
