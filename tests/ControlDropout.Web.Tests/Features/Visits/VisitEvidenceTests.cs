using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Visits;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Visits;

/// <summary>
/// Issue 14 §1: the evidence on a visit record — the guardian's signature (our own SVG, never the client's
/// markup), the family's code, the check-in, the photos — and the flags that read it (far_from_home, no_evidence).
/// </summary>
public sealed class VisitEvidenceTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public VisitEvidenceTests(ServiceFactory factory) => _factory = factory;

    private const double HomeLat = EvidenceSeeds.HomeLat;
    private const double HomeLon = EvidenceSeeds.HomeLon;

    private Task<(string Key, StudentId Child, TermId Term)> SessionAsync(TestCounty county) => EvidenceSeeds.SessionAsync(_factory, county);

    private Task<Guid> PhotoAsync(TestCounty county, string sessionKey, StudentId child) => EvidenceSeeds.PhotoAsync(_factory, county, sessionKey, child);

    private async Task<string> CodeAsync(StudentId child, TermId term)
    {
        using var scope = _factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ConfirmationCodes>().ForAsync(child, term, CancellationToken.None);
    }

    private async Task<VisitRecord> StoredAsync(Guid id)
    {
        using var scope = _factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Visits.AsNoTracking().SingleAsync(v => v.Id == id);
    }

    private static readonly DateTimeOffset CheckedIn = new(2026, 9, 7, 6, 55, 0, Conventions.ChinaOffset);

    /// <summary>A clean record of the session (content, a goal, the planned two 课时), with what evidence the caller adds.</summary>
    private static Dictionary<string, object?> Body(string key, TestCounty county, bool missed = false) => new()
    {
        ["sessionKey"] = key, ["date"] = "2026-09-07", ["start"] = "07:00", ["end"] = "08:20", ["staffPresent"] = new[] { county.Teacher.Value }, ["place"] = "Home",
        ["content"] = "练习抓握", ["goalsAddressed"] = new[] { "能独立抓握勺子" }, ["guardianName"] = "周某", ["missed"] = missed,
        ["missedReason"] = missed ? "孩子住院" : null,
    };

    private static Dictionary<string, object?> With(Dictionary<string, object?> body, params (string Key, object? Value)[] fields)
    {
        foreach (var (key, value) in fields)
        {
            body[key] = value;
        }
        return body;
    }

    /// <summary>
    /// The record's flags but impossible_travel: every session here is the same teacher's at the same hour (one
    /// child each), so the records overlap one another — that flag is VisitFlagsTests' business, not this file's.
    /// </summary>
    private static IEnumerable<string?> Flags(JsonElement visit) =>
        visit.GetProperty("flags").EnumerateArray().Select(f => f.GetString()).Where(f => f != VisitFlags.ImpossibleTravel);

    private static string[] Fields(JsonElement problem) => [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name)];

    [Fact]
    public async Task A_signature_is_stored_as_our_own_svg_and_markup_in_the_strokes_is_refused_never_echoed()
    {
        var county = await _factory.LincangAsync();
        var teacher = await county.As("teacher");
        var (key, _, _) = await SessionAsync(county);

        foreach (var strokes in new[]
        {
            new[] { "<script>alert(1)</script>" },
            new[] { "10,10 20,20\" onload=\"alert(1)" },
            new[] { "10,10 700,20" },          // outside the 600 × 240 box
            new[] { "-1,10 20,20" },
            Enumerable.Repeat("10,10 20,20", 21).ToArray(),
            new[] { string.Join(' ', Enumerable.Range(0, 501).Select(i => $"{i % 600},{i % 240}")) },
        })
        {
            var refused = await teacher.PostAsJsonAsync("/api/visits", With(Body(key, county), ("confirmation", "Signature"), ("signatureStrokes", strokes)));
            refused.StatusCode.Should().Be(HttpStatusCode.BadRequest, strokes[0]);
            var text = await refused.Content.ReadAsStringAsync();
            text.Should().NotContain("script").And.NotContain("onload").And.NotContain("alert");
            Fields(JsonDocument.Parse(text).RootElement).Should().Equal("signatureStrokes");
        }
        var missing = await teacher.PostAsJsonAsync("/api/visits", With(Body(key, county), ("confirmation", "Signature")));
        Fields(await missing.ReadJsonAsync()).Should().Equal("signatureStrokes");

        var confirmedOnThePhone = new DateTimeOffset(2026, 9, 7, 8, 15, 0, Conventions.ChinaOffset);
        var created = await teacher.PostAsJsonAsync("/api/visits", With(Body(key, county), ("confirmation", "Signature"),
            ("signatureStrokes", new[] { "10,10 20.25,20 30,25", "100,100 110.5,120" }), ("confirmedAt", confirmedOnThePhone)));
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var visit = await created.ReadJsonAsync();
        visit.GetProperty("confirmation").GetString().Should().Be("Signature");
        visit.GetProperty("hasSignature").GetBoolean().Should().BeTrue();
        visit.GetProperty("confirmedAt").GetDateTimeOffset().Should().Be(confirmedOnThePhone);
        var id = visit.GetProperty("id").GetGuid();
        var stored = await StoredAsync(id);
        stored.SignatureSvg.Should().Be(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 600 240\" width=\"600\" height=\"240\">"
            + "<polyline fill=\"none\" stroke=\"#000\" stroke-width=\"3\" stroke-linecap=\"round\" stroke-linejoin=\"round\" points=\"10,10 20.2,20 30,25\"/>"
            + "<polyline fill=\"none\" stroke=\"#000\" stroke-width=\"3\" stroke-linecap=\"round\" stroke-linejoin=\"round\" points=\"100,100 110.5,120\"/></svg>");

        // The image for those who may see the record, an audited read; another county's answer is the missing record's.
        var image = await teacher.GetAsync($"/api/visits/{id}/signature");
        image.StatusCode.Should().Be(HttpStatusCode.OK);
        image.Content.Headers.ContentType!.MediaType.Should().Be("image/svg+xml");
        (await image.Content.ReadAsStringAsync()).Should().Be(stored.SignatureSvg);
        (await (await county.As("auditor")).GetAsync($"/api/visits/{id}/signature")).StatusCode.Should().Be(HttpStatusCode.OK);
        var other = await (await _factory.OtherCountyAsync()).As("auditor");
        (await other.GetAsync($"/api/visits/{id}/signature")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        using var scope = _factory.Services.CreateScope();
        (await scope.ServiceProvider.GetRequiredService<AppDbContext>().Audit.CountAsync(a => a.Action == "read-signature" && a.ObjectId == id.ToString()))
            .Should().Be(2);
    }

    [Fact]
    public async Task The_family_s_code_must_be_the_child_s_code_of_the_term_and_cannot_be_guessed()
    {
        var county = await _factory.LincangAsync();
        var teacher = await county.As("teacher");
        var (key, child, term) = await SessionAsync(county);
        var right = await CodeAsync(child, term);
        var wrong = ((int.Parse(right, System.Globalization.CultureInfo.InvariantCulture) + 1) % 10_000).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

        var malformed = await teacher.PostAsJsonAsync("/api/visits", With(Body(key, county), ("confirmation", "Code"), ("confirmationCode", "12a4")));
        Fields(await malformed.ReadJsonAsync()).Should().Equal("confirmationCode");
        var refused = await teacher.PostAsJsonAsync("/api/visits", With(Body(key, county), ("confirmation", "Code"), ("confirmationCode", wrong)));
        refused.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var problem = await refused.ReadJsonAsync();
        problem.GetProperty("code").GetString().Should().Be("wrong_confirmation_code");
        problem.GetProperty("errors")[0].GetProperty("code").GetString().Should().Be("confirmationCode");

        var created = await teacher.PostAsJsonAsync("/api/visits", With(Body(key, county), ("confirmation", "Code"), ("confirmationCode", right)));
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var visit = await created.ReadJsonAsync();
        visit.GetProperty("confirmation").GetString().Should().Be("Code");
        visit.GetProperty("hasSignature").GetBoolean().Should().BeFalse();
        (await StoredAsync(visit.GetProperty("id").GetGuid())).Should().Match<VisitRecord>(v => v.SignatureSvg == null && v.ConfirmedAt == _factory.Clock.GetUtcNow());

        // Five wrong codes for a session in a day: then not even the right one is tried that day.
        var (guessed, guessedChild, _) = await SessionAsync(county);
        var itsCode = await CodeAsync(guessedChild, term);
        var guesses = Enumerable.Range(0, 10_000).Select(n => n.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)).Where(c => c != itsCode).Take(5);
        foreach (var guess in guesses)
        {
            (await teacher.PostAsJsonAsync("/api/visits", With(Body(guessed, county), ("confirmation", "Code"), ("confirmationCode", guess))))
                .StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        }
        var blocked = await teacher.PostAsJsonAsync("/api/visits", With(Body(guessed, county), ("confirmation", "Code"), ("confirmationCode", itsCode)));
        blocked.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        (await blocked.ReadJsonAsync()).GetProperty("code").GetString().Should().Be("too_many_attempts");
        // The family can still sign.
        (await teacher.PostAsJsonAsync("/api/visits", With(Body(guessed, county), ("confirmation", "Signature"), ("signatureStrokes", new[] { "1,1 2,2" }))))
            .StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_check_in_is_kept_to_about_100_m_and_one_far_from_home_is_flagged_with_the_distance()
    {
        var county = await _factory.LincangAsync();
        var teacher = await county.As("teacher");

        var (key, _, _) = await SessionAsync(county);
        foreach (var (field, bad) in new (string, Dictionary<string, object?>)[]
        {
            ("checkInAt", With(Body(key, county), ("checkInAt", _factory.Clock.GetUtcNow().AddHours(1)))),
            ("checkInAt", With(Body(key, county), ("checkInAt", CheckedIn.AddDays(-2)))),
            ("checkInLat", With(Body(key, county), ("checkInAt", CheckedIn), ("checkInLat", 91.0), ("checkInLon", 100.0))),
            ("checkInLon", With(Body(key, county), ("checkInAt", CheckedIn), ("checkInLat", 23.0), ("checkInLon", -181.0))),
            ("checkInAccuracyMeters", With(Body(key, county), ("checkInAt", CheckedIn), ("checkInLat", 23.0), ("checkInLon", 100.0), ("checkInAccuracyMeters", 200_000))),
            ("checkInAt", With(Body(key, county), ("checkInLat", 23.0), ("checkInLon", 100.0))),
        })
        {
            var refused = await teacher.PostAsJsonAsync("/api/visits", bad);
            refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            Fields(await refused.ReadJsonAsync()).Should().Contain(field);
        }

        var near = await teacher.PostAsJsonAsync("/api/visits", With(Body(key, county), ("checkInAt", CheckedIn), ("checkInLat", 23.80037), ("checkInLon", 100.10042), ("checkInAccuracyMeters", 30)));
        near.StatusCode.Should().Be(HttpStatusCode.Created, await near.Content.ReadAsStringAsync());
        var nearby = await near.ReadJsonAsync();
        Flags(nearby).Should().BeEmpty();
        nearby.GetProperty("checkInAt").GetDateTimeOffset().Should().Be(CheckedIn);
        nearby.GetProperty("checkInDistanceMeters").GetInt32().Should().BeLessThan(150);
        nearby.TryGetProperty("checkInLat", out _).Should().BeFalse("the answer never carries the raw position");
        (await StoredAsync(nearby.GetProperty("id").GetGuid())).Should().Match<VisitRecord>(v => v.CheckInLat == 23.8 && v.CheckInLon == 100.1 && v.CheckInAccuracyMeters == 30);

        var (farKey, _, _) = await SessionAsync(county);
        var far = await teacher.PostAsJsonAsync("/api/visits", With(Body(farKey, county), ("checkInAt", CheckedIn), ("checkInLat", 23.82), ("checkInLon", 100.1)));
        var farAway = await far.ReadJsonAsync();
        Flags(farAway).Should().Equal(VisitFlags.FarFromHome);
        farAway.GetProperty("flagDetails").GetProperty(VisitFlags.FarFromHome).GetString().Should().Be("签到位置距家约 2.2 公里");
        farAway.GetProperty("checkInDistanceMeters").GetInt32().Should().BeInRange(2200, 2250);
    }

    [Fact]
    public async Task A_county_requiring_evidence_flags_a_delivered_record_without_it_not_one_with_it_nor_a_missed_one()
    {
        var county = await _factory.OtherCountyAsync();
        var admin = await county.As("admin");
        var teacher = await county.As("teacher");
        (await admin.PutAsJsonAsync("/api/policy", new
        {
            minSessionsPerTeachingWeek = 1, lessonMinutes = 40, remoteCountsTowardHomeMinimum = true, minAge = 6, maxAge = 15, maxDisabilityGrade = 4,
            requireGuardianConfirmation = true, requiredPhotos = 1, requireCheckIn = true,
        })).StatusCode.Should().Be(HttpStatusCode.OK);

        var (bare, _, _) = await SessionAsync(county);
        var without = await (await teacher.PostAsJsonAsync("/api/visits", Body(bare, county))).ReadJsonAsync();
        Flags(without).Should().Equal(VisitFlags.NoEvidence);
        without.GetProperty("flagDetails").GetProperty(VisitFlags.NoEvidence).GetString().Should().Be("缺少：家长确认、签到、照片（需 1 张，已有 0 张）");

        var (full, child, _) = await SessionAsync(county);
        var photo = await PhotoAsync(county, full, child);
        var with = await teacher.PostAsJsonAsync("/api/visits", With(Body(full, county), ("confirmation", "Signature"), ("signatureStrokes", new[] { "5,5 50,50" }),
            ("checkInAt", CheckedIn), ("checkInLat", HomeLat), ("checkInLon", HomeLon), ("photoIds", new[] { photo })));
        with.StatusCode.Should().Be(HttpStatusCode.Created, await with.Content.ReadAsStringAsync());
        var evidenced = await with.ReadJsonAsync();
        Flags(evidenced).Should().BeEmpty();
        evidenced.GetProperty("photoIds").EnumerateArray().Select(p => p.GetGuid()).Should().Equal(photo);

        var (missedKey, _, _) = await SessionAsync(county);
        var missed = await teacher.PostAsJsonAsync("/api/visits", Body(missedKey, county, missed: true));
        missed.StatusCode.Should().Be(HttpStatusCode.Created, await missed.Content.ReadAsStringAsync());
        Flags(await missed.ReadJsonAsync()).Should().NotContain(VisitFlags.NoEvidence, "a visit that did not happen has nothing to prove");

        // The flagged list (the inspector's) has the record without evidence.
        var flagged = await (await county.As("auditor")).GetFromJsonAsync<List<JsonElement>>("/api/visits?flagged=true");
        flagged!.Where(v => Flags(v).Contains(VisitFlags.NoEvidence)).Select(v => v.GetProperty("sessionKey").GetString()).Should().Contain(bare).And.NotContain(full);
    }

    [Fact]
    public async Task A_record_is_judged_by_the_evidence_rules_it_was_made_under_not_by_a_later_policy()
    {
        var county = await _factory.LincangAsync();
        var admin = await county.As("admin");
        var teacher = await county.As("teacher");
        object Policy(bool require) => new
        {
            minSessionsPerTeachingWeek = 1, lessonMinutes = 40, remoteCountsTowardHomeMinimum = true, minAge = 6, maxAge = 15, maxDisabilityGrade = 4,
            requireGuardianConfirmation = require, requireCheckIn = require,
        };
        var (before, _, _) = await SessionAsync(county);
        var september = await (await teacher.PostAsJsonAsync("/api/visits", Body(before, county))).ReadJsonAsync();
        Flags(september).Should().NotContain(VisitFlags.NoEvidence, "nothing was required when it was recorded");
        try
        {
            (await admin.PutAsJsonAsync("/api/policy", Policy(require: true))).StatusCode.Should().Be(HttpStatusCode.OK);
            var (after, _, _) = await SessionAsync(county);
            var november = await (await teacher.PostAsJsonAsync("/api/visits", Body(after, county))).ReadJsonAsync();
            Flags(november).Should().Contain(VisitFlags.NoEvidence, "the county now requires confirmation and a check-in");

            var records = await teacher.GetFromJsonAsync<List<JsonElement>>("/api/visits");
            Flags(records!.Single(v => v.GetProperty("sessionKey").GetString() == before)).Should().NotContain(VisitFlags.NoEvidence,
                "a policy changed later does not turn an earlier record into one without evidence");

            (await admin.PutAsJsonAsync("/api/policy", Policy(require: false))).StatusCode.Should().Be(HttpStatusCode.OK);
            records = await teacher.GetFromJsonAsync<List<JsonElement>>("/api/visits");
            Flags(records!.Single(v => v.GetProperty("sessionKey").GetString() == after)).Should().Contain(VisitFlags.NoEvidence,
                "relaxing the policy later does not excuse a record made while it required evidence");
        }
        finally
        {
            await admin.PutAsJsonAsync("/api/policy", Policy(require: false));
        }
    }

    [Fact]
    public async Task Photos_must_be_of_the_same_session_and_county_and_at_most_three()
    {
        var county = await _factory.LincangAsync();
        var teacher = await county.As("teacher");
        var (key, child, _) = await SessionAsync(county);
        var (otherKey, otherChild, _) = await SessionAsync(county);
        var ours = await PhotoAsync(county, key, child);
        var theirs = await PhotoAsync(county, otherKey, otherChild);

        var refused = await teacher.PostAsJsonAsync("/api/visits", With(Body(key, county), ("photoIds", new[] { ours, theirs, Guid.NewGuid() })));
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        Fields(await refused.ReadJsonAsync()).Should().BeEquivalentTo("photoIds[1]", "photoIds[2]");
        var tooMany = await teacher.PostAsJsonAsync("/api/visits", With(Body(key, county), ("photoIds", new[] { ours, ours, ours, ours })));
        Fields(await tooMany.ReadJsonAsync()).Should().Contain("photoIds");

        var created = await teacher.PostAsJsonAsync("/api/visits", With(Body(key, county), ("photoIds", new[] { ours })));
        created.StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_correction_without_evidence_keeps_the_record_s_and_one_with_evidence_changes_it()
    {
        var county = await _factory.LincangAsync();
        var teacher = await county.As("teacher");
        var (key, child, term) = await SessionAsync(county);
        var photo = await PhotoAsync(county, key, child);
        var created = await (await teacher.PostAsJsonAsync("/api/visits", With(Body(key, county), ("confirmation", "Signature"), ("signatureStrokes", new[] { "5,5 50,50" }),
            ("checkInAt", CheckedIn), ("checkInLat", 23.8), ("checkInLon", 100.1), ("photoIds", new[] { photo })))).ReadJsonAsync();
        var id = created.GetProperty("id").GetGuid();
        var first = await StoredAsync(id);

        var kept = await teacher.PutAsJsonAsync($"/api/visits/{id}", With(Body(key, county), ("content", "练习抓握与进食")));
        kept.StatusCode.Should().Be(HttpStatusCode.OK, await kept.Content.ReadAsStringAsync());
        var afterKept = await StoredAsync(id);
        afterKept.Content.Should().Be("练习抓握与进食");
        afterKept.Should().BeEquivalentTo(first, o => o.Including(v => v.Confirmation).Including(v => v.SignatureSvg).Including(v => v.ConfirmedAt)
            .Including(v => v.CheckInAt).Including(v => v.CheckInLat).Including(v => v.CheckInLon).Including(v => v.PhotoIds));

        var changed = await teacher.PutAsJsonAsync($"/api/visits/{id}", With(Body(key, county), ("confirmation", "Code"), ("confirmationCode", await CodeAsync(child, term)),
            ("checkInAt", CheckedIn.AddMinutes(3)), ("checkInLat", 23.82), ("checkInLon", 100.1), ("photoIds", Array.Empty<Guid>())));
        changed.StatusCode.Should().Be(HttpStatusCode.OK, await changed.Content.ReadAsStringAsync());
        var answer = await changed.ReadJsonAsync();
        Flags(answer).Should().Contain(VisitFlags.FarFromHome);
        var afterChange = await StoredAsync(id);
        afterChange.Should().Match<VisitRecord>(v => v.Confirmation == GuardianConfirmation.Code && v.SignatureSvg == null && v.CheckInAt == CheckedIn.AddMinutes(3)
            && v.CheckInLat == 23.82 && v.PhotoIds.Count == 0);

        // A correction's check-in is still not after the record as first written.
        var late = await teacher.PutAsJsonAsync($"/api/visits/{id}", With(Body(key, county), ("checkInAt", first.RecordedAt.AddHours(1))));
        Fields(await late.ReadJsonAsync()).Should().Equal("checkInAt");
    }
}
