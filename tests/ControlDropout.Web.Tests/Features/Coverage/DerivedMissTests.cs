using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.Coverage;

/// <summary>
/// Issue 12 §3: a session with no record becomes missed 48 hours after its end — derived in one place and
/// stated the same way by coverage, the ledger and the teaching file. This class moves the clock.
/// </summary>
public sealed class DerivedMissTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public DerivedMissTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task A_session_left_without_a_record_shows_as_missed_with_its_reason_everywhere_once_48_hours_have_passed()
    {
        var county = await _factory.LincangAsync();
        var child = (await SchedulableCounty.AddAsync(county, children: 1)).Single();
        await TermFacts.NameAsync(county, child, "逾期未记");
        await (await county.As("approver")).RunAndPublishAsync(county.Term);
        var now = _factory.Clock.GetUtcNow();
        var session = (await TermFacts.SessionsAsync(county, child)).First(s => RecordFacts.EndOf(s) > now);
        var week = TermFacts.Week(session.Date);

        async Task<(string Status, string Text, List<string> Differences)> FileRowAsync()
        {
            var row = TermFacts.Rows(await TermFacts.TeachingFileAsync(county, child)).Single(r => r.GetProperty("sessionKey").GetString() == session.SessionKey);
            return (row.GetProperty("status").GetString()!, row.GetProperty("statusText").GetString()!, [.. row.GetProperty("differences").EnumerateArray().Select(d => d.GetString()!)]);
        }
        async Task<int> LedgerMissedAsync() => int.Parse((await TermFacts.LedgerAsync(county)).Single(r => r["姓名"] == "逾期未记")["缺送次数"], System.Globalization.CultureInfo.InvariantCulture);
        var missedBefore = await LedgerMissedAsync();

        _factory.Clock.SetUtcNow(RecordFacts.EndOf(session).AddHours(47));
        (await FileRowAsync()).Status.Should().Be("Scheduled", "47 hours after its end the record may still come");
        (await LedgerMissedAsync()).Should().Be(missedBefore);

        _factory.Clock.SetUtcNow(RecordFacts.EndOf(session).AddHours(48).AddMinutes(1));
        var file = await FileRowAsync();
        file.Status.Should().Be("Missed");
        file.Text.Should().Be("缺课（逾期无送教记录）");
        file.Differences.Should().Contain("缺课（逾期无送教记录）");
        (await LedgerMissedAsync()).Should().Be(missedBefore + 1);
        (await TermFacts.LedgerAsync(county)).Single(r => r["姓名"] == "逾期未记")["缺送次数及原因"].Should().Be($"{missedBefore + 1}（逾期无送教记录{(missedBefore > 0 ? $"×{missedBefore + 1}" : "")}）");
        var weekly = await (await county.As("auditor")).GetFromJsonAsync<JsonElement>($"/api/coverage?termId={county.Term}&week={week}");
        var row = weekly.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("studentId").GetGuid() == child.Value);
        row.GetProperty("scheduled").GetInt32().Should().Be(0, "a derived miss is no longer scheduled");
        row.GetProperty("status").GetString().Should().BeOneOf(["Unscheduled", "Missed"], "nothing left would meet the week");

        // Once the week is over it is missed.
        var monday = session.Date.AddDays(7 - ((int)session.Date.DayOfWeek + 6) % 7);
        var nextMonday = new DateTimeOffset(monday.ToDateTime(new TimeOnly(9, 0)), Conventions.ChinaOffset);
        if (nextMonday > _factory.Clock.GetUtcNow())
        {
            _factory.Clock.SetUtcNow(nextMonday);
        }
        (await TermFacts.MatrixAsync(county))[child.Value][week].Should().Be("Missed");
        (await FileRowAsync()).Text.Should().Be("缺课（逾期无送教记录）", "the same words after the week");
    }
}
