using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.Policy;

public sealed class PolicyEndpointTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public PolicyEndpointTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task Lincangs_notice_is_the_default_and_a_county_can_set_its_own()
    {
        var county = await _factory.LincangAsync();
        var approver = await county.As("approver");

        var initial = await approver.GetFromJsonAsync<JsonElement>("/api/policy");
        initial.GetProperty("minSessionsPerTeachingWeek").GetInt32().Should().Be(1);
        initial.GetProperty("maxAge").GetInt32().Should().Be(15);
        initial.GetProperty("missedGraceHours").GetInt32().Should().Be(48);
        initial.GetProperty("travelToleranceMinutes").GetInt32().Should().Be(10);

        // 山东/河南 style: twice a week, three 课时 of 45 minutes.
        var put = await approver.PutAsJsonAsync("/api/policy", new { minSessionsPerTeachingWeek = 2, lessonMinutes = 45, remoteCountsTowardHomeMinimum = false, minAge = 6, maxAge = 15, maxDisabilityGrade = 2 });
        put.StatusCode.Should().Be(HttpStatusCode.OK);
        (await approver.GetFromJsonAsync<JsonElement>("/api/policy")).GetProperty("minSessionsPerTeachingWeek").GetInt32().Should().Be(2);

        var coordinator = await county.As("coordinator");
        var (tooFew, _) = await coordinator.CreatePlanAsync(await county.NewChildAsync(), county.Term, Api.WeeklyHomePlan(visits: 1));
        tooFew.StatusCode.Should().Be(HttpStatusCode.BadRequest, "the county now asks for two sessions a week");

        var bad = await approver.PutAsJsonAsync("/api/policy", new { minSessionsPerTeachingWeek = 0, lessonMinutes = 45, remoteCountsTowardHomeMinimum = true, minAge = 16, maxAge = 15, maxDisabilityGrade = 2 });
        var errors = (await bad.ReadJsonAsync()).GetProperty("errors");
        errors.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("minSessionsPerTeachingWeek", "minAge");

        // The grace before a session counts as missed and the travel flag's tolerance are the county's too, within bounds.
        var stricter = await approver.PutAsJsonAsync("/api/policy", new { minSessionsPerTeachingWeek = 2, lessonMinutes = 45, remoteCountsTowardHomeMinimum = false, minAge = 6, maxAge = 15, maxDisabilityGrade = 2, missedGraceHours = 24, travelToleranceMinutes = 5 });
        stricter.StatusCode.Should().Be(HttpStatusCode.OK);
        var now = await approver.GetFromJsonAsync<JsonElement>("/api/policy");
        (now.GetProperty("missedGraceHours").GetInt32(), now.GetProperty("travelToleranceMinutes").GetInt32()).Should().Be((24, 5));
        var hiding = await approver.PutAsJsonAsync("/api/policy", new { minSessionsPerTeachingWeek = 2, lessonMinutes = 45, remoteCountsTowardHomeMinimum = false, minAge = 6, maxAge = 15, maxDisabilityGrade = 2, missedGraceHours = 24 * 30, travelToleranceMinutes = -1 });
        (await hiding.ReadJsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("missedGraceHours", "travelToleranceMinutes");
    }

    [Fact]
    public async Task Extreme_numbers_are_refused_each_by_its_field_and_the_policy_stays()
    {
        var county = await _factory.OtherCountyAsync();
        var admin = await county.As("admin");
        var before = await admin.GetStringAsync("/api/policy");

        var bad = await admin.PutAsJsonAsync("/api/policy", new
        {
            minSessionsPerTeachingWeek = int.MaxValue, lessonMinutes = int.MinValue, remoteCountsTowardHomeMinimum = true, minAge = int.MinValue, maxAge = int.MaxValue, maxDisabilityGrade = -1,
        });

        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bad.ReadJsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name)
            .Should().BeEquivalentTo("minSessionsPerTeachingWeek", "lessonMinutes", "minAge", "maxDisabilityGrade");
        (await admin.GetStringAsync("/api/policy")).Should().Be(before);
    }

    [Fact]
    public async Task The_evidence_a_county_requires_is_off_by_default_set_within_bounds_and_kept()
    {
        var county = await _factory.OtherCountyAsync();
        var admin = await county.As("admin");
        var initial = await admin.GetFromJsonAsync<JsonElement>("/api/policy");
        (initial.GetProperty("requireGuardianConfirmation").GetBoolean(), initial.GetProperty("requiredPhotos").GetInt32(), initial.GetProperty("requireCheckIn").GetBoolean(),
            initial.GetProperty("farFromHomeMeters").GetInt32()).Should().Be((false, 0, false, 1000));

        var bad = await admin.PutAsJsonAsync("/api/policy", new
        {
            minSessionsPerTeachingWeek = 1, lessonMinutes = 40, remoteCountsTowardHomeMinimum = true, minAge = 6, maxAge = 15, maxDisabilityGrade = 4,
            requiredPhotos = 4, farFromHomeMeters = 50,
        });
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bad.ReadJsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("requiredPhotos", "farFromHomeMeters");
        var tooFar = await admin.PutAsJsonAsync("/api/policy", new
        {
            minSessionsPerTeachingWeek = 1, lessonMinutes = 40, remoteCountsTowardHomeMinimum = true, minAge = 6, maxAge = 15, maxDisabilityGrade = 4,
            requiredPhotos = -1, farFromHomeMeters = 50_001,
        });
        (await tooFar.ReadJsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("requiredPhotos", "farFromHomeMeters");

        var put = await admin.PutAsJsonAsync("/api/policy", new
        {
            minSessionsPerTeachingWeek = 1, lessonMinutes = 40, remoteCountsTowardHomeMinimum = true, minAge = 6, maxAge = 15, maxDisabilityGrade = 4,
            requireGuardianConfirmation = true, requiredPhotos = 2, requireCheckIn = true, farFromHomeMeters = 1500,
        });
        put.StatusCode.Should().Be(HttpStatusCode.OK);
        var now = await (await county.As("teacher")).GetFromJsonAsync<JsonElement>("/api/policy");
        (now.GetProperty("requireGuardianConfirmation").GetBoolean(), now.GetProperty("requiredPhotos").GetInt32(), now.GetProperty("requireCheckIn").GetBoolean(),
            now.GetProperty("farFromHomeMeters").GetInt32()).Should().Be((true, 2, true, 1500));
        (await (await county.As("teacher")).PutAsJsonAsync("/api/policy", new { minSessionsPerTeachingWeek = 1 })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }
}
