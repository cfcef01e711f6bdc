using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Features.Coverage;
using ControlDropout.Web.Tests.Features.Feeds;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Coverage;

/// <summary>
/// An instance keeps the summary rows it read (<see cref="SummaryCache"/>) only while the database's version says they
/// are still the rows: a visit recorded through another instance is in this instance's very next answer.
/// </summary>
public sealed class SummaryCacheTests
{
    [Fact]
    public async Task A_week_read_through_one_instance_moves_when_a_visit_is_recorded_through_the_other()
    {
        using var a = new ServiceFactory();
        var (county, _, timetable) = await FeedFacts.PublishedAsync(a);
        using var b = ServiceFactory.SecondInstanceOf(a);
        var onB = b.CreateClient();
        onB.DefaultRequestHeaders.Authorization = (await county.As("approver")).DefaultRequestHeaders.Authorization;
        var session = (await FeedFacts.MineAsync(county, timetable)).First(s => string.CompareOrdinal(s.GetProperty("date").GetString(), "2026-09-07") >= 0);
        var date = DateOnly.Parse(session.GetProperty("date").GetString()!, CultureInfo.InvariantCulture);
        var week = $"{ISOWeek.GetYear(date.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(date.ToDateTime(TimeOnly.MinValue)):00}";
        var child = session.GetProperty("studentId").GetGuid();
        async Task<int> DeliveredOnB()
        {
            var answer = await onB.GetFromJsonAsync<JsonElement>($"/api/coverage?week={week}");
            return answer.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("studentId").GetGuid() == child).GetProperty("delivered").GetInt32();
        }
        (await DeliveredOnB()).Should().Be(0);
        (await DeliveredOnB()).Should().Be(0, "the second read is served from B's copy");
        var before = await VersionAsync(a, county.Code);

        var recorded = await (await county.As("teacher")).PostAsJsonAsync("/api/visits", FeedFacts.VisitOf(county, session));
        recorded.StatusCode.Should().Be(HttpStatusCode.Created, await recorded.Content.ReadAsStringAsync());

        (await VersionAsync(a, county.Code)).Should().BeGreaterThan(before, "the record's save raised the term's version with its rows");
        (await DeliveredOnB()).Should().Be(1, "B's copy was older than the database's version: B read the rows again");
    }

    private static async Task<long> VersionAsync(ServiceFactory factory, string county)
    {
        using var scope = factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().CoverageVersions.AsNoTracking()
            .Where(v => v.CountyCode == county).Select(v => v.Version).SingleAsync();
    }
}
