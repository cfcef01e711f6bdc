using System.Net;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Visits;
using ControlDropout.Web.Infrastructure;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Visits;

/// <summary>
/// Issue 14 §9 on the session page (plain HTTP): after recording, the teacher lands on the stored record with its
/// evidence and a 更正 form prefilled from it; the inspector sees the evidence; map links and the guardian's phone.
/// </summary>
public sealed class SessionPageEvidenceTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public SessionPageEvidenceTests(ServiceFactory factory) => _factory = factory;

    private static Dictionary<string, string> Form(string token, TestCounty county) => new()
    {
        ["__RequestVerificationToken"] = token, ["Form.Date"] = "2026-09-07", ["Form.Start"] = "07:00", ["Form.End"] = "08:20",
        ["Form.StaffPresent"] = county.Teacher.Value.ToString(), ["Form.Place"] = "Home", ["Form.Content"] = "练习抓握",
        ["Form.GoalsAddressed"] = "能独立抓握勺子", ["Form.CheckInAt"] = "2026-09-06T22:55:00.000Z", ["Form.CheckInLat"] = "23.82", ["Form.CheckInLon"] = "100.1",
        ["Form.CheckInAccuracyMeters"] = "25", ["Form.Confirmation"] = "Signature", ["Form.SignatureStrokes"] = "10,10 40,30 80,20", ["Form.ConfirmedAt"] = "2026-09-07T00:10:00.000Z",
    };

    [Fact]
    public async Task After_recording_the_teacher_lands_on_the_stored_record_with_its_evidence_and_a_prefilled_correction()
    {
        var county = await _factory.LincangAsync();
        var (key, child, term) = await EvidenceSeeds.SessionAsync(_factory, county);
        string wrong;
        using (var scope = _factory.Services.CreateScope())
        {
            // One digit off the family's real code: certainly wrong, whatever the key made the code.
            var right = await scope.ServiceProvider.GetRequiredService<ConfirmationCodes>().ForAsync(child, term, CancellationToken.None);
            wrong = right[..3] + (char)('0' + ((right[3] - '0' + 1) % 10));
        }
        var url = $"/sessions/{Uri.EscapeDataString(key)}";
        var teacher = await PageBrowser.SignedInAsync(_factory, county, "teacher");
        var blank = await teacher.GetStringAsync(url);
        blank.Should().Contain("记录本次送教").And.Contain("id=\"signature-canvas\"").And.Contain("id=\"check-in-button\"").And.Contain("id=\"photo-input\"");
        // The map links: geo: and the apps, each told its input is WGS-84, each in the order it expects.
        blank.Should().Contain("href=\"geo:23.8,100.1?q=23.8,100.1\"").And.Contain("position=100.1,23.8").And.Contain("coordinate=wgs84")
            .And.Contain("baidumap://map/marker?location=23.8,100.1").And.Contain("coord_type=wgs84").And.Contain("qqmap://map/marker?marker=coord:23.8,100.1");

        var wrongCode = Form(PageBrowser.TokenIn(blank), county);
        (wrongCode["Form.Confirmation"], wrongCode["Form.ConfirmationCode"]) = ("Code", wrong);
        wrongCode.Remove("Form.SignatureStrokes");
        var refused = await teacher.PostAsync(new Uri(url, UriKind.Relative), new FormUrlEncodedContent(wrongCode));
        var refusedPage = await refused.Content.ReadAsStringAsync();
        refused.StatusCode.Should().NotBe(HttpStatusCode.Redirect, "a wrong code stores nothing");
        refusedPage.Should().Contain("确认码不对", "the refusal is told beside the field");

        var posted = await teacher.PostAsync(new Uri(url, UriKind.Relative), new FormUrlEncodedContent(Form(PageBrowser.TokenIn(blank), county)));
        posted.StatusCode.Should().Be(HttpStatusCode.Redirect, await posted.Content.ReadAsStringAsync());
        posted.Headers.Location!.OriginalString.Should().Be(url, "the teacher lands on the stored record, not the week nor an empty form");

        var record = await teacher.GetStringAsync(url);
        record.Should().Contain("已记录").And.Contain("<polyline").And.Contain("points=\"10,10 40,30 80,20\"")
            .And.Contain("距家约 2.2 公里").And.Contain(Zh.VisitFlag(VisitFlags.FarFromHome))
            .And.Contain("更正记录").And.Contain("name=\"Form.Corrects\"").And.Contain("练习抓握").And.NotContain("记录本次送教");

        // The correction from the page: in place (within 24 h), the evidence kept as no new one is sent.
        var correction = Form(PageBrowser.TokenIn(record), county);
        foreach (var evidence in new[] { "Form.CheckInAt", "Form.CheckInLat", "Form.CheckInLon", "Form.CheckInAccuracyMeters", "Form.SignatureStrokes", "Form.ConfirmedAt" })
        {
            correction.Remove(evidence);
        }
        correction["Form.Confirmation"] = "None";
        correction["Form.Content"] = "练习抓握与进食";
        using (var scope = _factory.Services.CreateScope())
        {
            correction["Form.Corrects"] = (await scope.ServiceProvider.GetRequiredService<AppDbContext>().Visits.SingleAsync(v => v.SessionKey == key)).Id.ToString();
        }
        var corrected = await teacher.PostAsync(new Uri(url, UriKind.Relative), new FormUrlEncodedContent(correction));
        corrected.StatusCode.Should().Be(HttpStatusCode.Redirect, await corrected.Content.ReadAsStringAsync());
        (await teacher.GetStringAsync(url)).Should().Contain("已更正").And.Contain("练习抓握与进食").And.Contain("<polyline");
        using (var scope = _factory.Services.CreateScope())
        {
            var stored = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Visits.SingleAsync(v => v.SessionKey == key);
            stored.Should().Match<VisitRecord>(v => v.Content == "练习抓握与进食" && v.SignatureSvg != null && v.CheckInLat == 23.82);
        }

        // The inspector sees the record and its evidence, and no form.
        var auditor = await PageBrowser.SignedInAsync(_factory, county, "auditor");
        var seen = await auditor.GetStringAsync(url);
        seen.Should().Contain("<polyline").And.Contain("手写签名").And.Contain("距家约 2.2 公里").And.NotContain("id=\"visit-form\"");
    }
}
