using System.Net;
using System.Net.Http.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.People;
using ControlDropout.Web.Tests.Features.Visits;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.People;

/// <summary>
/// Issue 13 §5: those who must call the family — the child's school coordinator and the teachers of its team —
/// see the guardian's phone when they ask, and each such reveal is on the audit trail; everyone else sees it masked.
/// </summary>
public sealed class GuardianPhonePageTests : IClassFixture<ServiceFactory>
{
    private const string Phone = "13800001234";
    private const string Masked = "138****1234";

    private readonly ServiceFactory _factory;

    public GuardianPhonePageTests(ServiceFactory factory)
    {
        factory.Settings["Access:LoginAttemptsPerMinute"] = "1000";
        _factory = factory;
    }

    private async Task<int> RevealsOfAsync(StudentId child, string actor)
    {
        using var scope = _factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Audit
            .CountAsync(a => a.Action == "read-unmasked" && a.ObjectId == child.ToString() && a.Summary == "guardian phones shown" && a.Actor == actor);
    }

    /// <summary>A child taught by the county's teacher on a published timetable; its session key.</summary>
    private async Task<(StudentId Child, string Session)> TaughtChildAsync(TestCounty county)
    {
        // The seeded children have a guardian (张某, 13800001234); NewChildAsync's have none.
        var child = county.Eligible;
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            if (!await db.Timetables.AnyAsync(t => t.CountyCode == county.Code && t.Status == TimetableStatus.Published))
            {
                var run = new TimetableRun { CountyCode = county.Code, TermId = county.Term, StartedBy = "approver", CreatedAt = DateTimeOffset.UnixEpoch, Status = RunStatus.Succeeded };
                db.Runs.Add(run);
                db.Timetables.Add(new Timetable
                {
                    CountyCode = county.Code, TermId = county.Term, RunId = run.Id, CreatedAt = DateTimeOffset.UnixEpoch, TemplateJson = "{}", ScenarioJson = "{}",
                    Status = TimetableStatus.Published,
                });
                await db.SaveChangesAsync();
            }
        }
        return (child, await VisitSeeds.AddSessionAsync(county, child, new DateOnly(2026, 9, 9), county.Teacher));
    }

    [Fact]
    public async Task The_school_coordinator_and_the_child_s_teacher_see_the_phone_and_each_reveal_is_audited()
    {
        var county = await _factory.LincangAsync();
        var (child, _) = await TaughtChildAsync(county);
        foreach (var role in new[] { "coordinator", "teacher" })
        {
            var api = await county.As(role);
            (await api.GetFromJsonAsync<List<GuardianDto>>($"/api/students/{child}/guardians", ServiceFactory.Json))!.Single().Phone.Should().Be(Masked);
            var before = await RevealsOfAsync(child, county.Accounts[role]);
            await api.GetFromJsonAsync<List<GuardianDto>>($"/api/students/{child}/guardians", ServiceFactory.Json);
            (await RevealsOfAsync(child, county.Accounts[role])).Should().Be(before, "a masked read is not a reveal");

            var shown = await api.GetFromJsonAsync<List<GuardianDto>>($"/api/students/{child}/guardians?reveal=true", ServiceFactory.Json);

            shown!.Single().Phone.Should().Be(Phone, role);
            (await RevealsOfAsync(child, county.Accounts[role])).Should().Be(before + 1, role);
        }
    }

    [Fact]
    public async Task A_teacher_of_other_children_finds_no_such_child_and_an_auditor_may_not_reveal()
    {
        var county = await _factory.LincangAsync();
        await TaughtChildAsync(county);
        var untaught = county.SecondEligible;

        var teacher = await county.As("teacher");
        (await teacher.GetAsync(new Uri($"/api/students/{untaught}/guardians?reveal=true", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await teacher.GetAsync(new Uri($"/api/students/{untaught}/guardians", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var auditor = await county.As("auditor");
        (await auditor.GetFromJsonAsync<List<GuardianDto>>($"/api/students/{untaught}/guardians", ServiceFactory.Json))!.Single().Phone.Should().Be(Masked);
        (await auditor.GetAsync(new Uri($"/api/students/{untaught}/guardians?reveal=true", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await RevealsOfAsync(untaught, county.Accounts["auditor"])).Should().Be(0);

        var otherCounty = await (await _factory.OtherCountyAsync()).As("approver");
        (await otherCounty.GetAsync(new Uri($"/api/students/{untaught}/guardians?reveal=true", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_coordinator_reveals_on_the_child_page_and_the_teacher_on_the_session_page_as_tel_links()
    {
        var county = await _factory.LincangAsync();
        var (child, session) = await TaughtChildAsync(county);

        var before = await RevealsOfAsync(child, county.Accounts["coordinator"]);
        var coordinator = await PageBrowser.SignedInAsync(_factory, county, "coordinator");
        var page = await coordinator.GetStringAsync(new Uri($"/children/{child}", UriKind.Relative));
        page.Should().Contain(Masked).And.NotContain(Phone).And.Contain("显示电话");
        var shown = await coordinator.PostAsync(new Uri($"/children/{child}?handler=Guardians", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = PageBrowser.TokenIn(page) }));
        (await shown.Content.ReadAsStringAsync()).Should().Contain($"href=\"tel:{Phone}\"");
        (await RevealsOfAsync(child, county.Accounts["coordinator"])).Should().Be(before + 1);

        var teacher = await PageBrowser.SignedInAsync(_factory, county, "teacher");
        var url = $"/sessions/{Uri.EscapeDataString(session)}";
        var sheet = await teacher.GetStringAsync(new Uri(url, UriKind.Relative));
        sheet.Should().Contain(Masked).And.NotContain(Phone);
        var revealed = await teacher.PostAsync(new Uri(url + "?handler=Guardians", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = PageBrowser.TokenIn(sheet) }));
        revealed.StatusCode.Should().Be(HttpStatusCode.OK);
        (await revealed.Content.ReadAsStringAsync()).Should().Contain($"href=\"tel:{Phone}\"");
        (await RevealsOfAsync(child, county.Accounts["teacher"])).Should().BeGreaterThan(0);

        var auditor = await PageBrowser.SignedInAsync(_factory, county, "auditor");
        var inspected = await auditor.GetStringAsync(new Uri(url, UriKind.Relative));
        inspected.Should().Contain(Masked).And.NotContain("显示电话");
    }
}

/// <summary>The committee's report through the API: checked by content, read back by whoever sees the child, audited.</summary>
public sealed class AssessmentReportPageTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private static MultipartFormDataContent File(byte[] bytes, string name) => new() { { new ByteArrayContent(bytes), "file", name } };

    [Fact]
    public async Task A_pdf_is_kept_an_exe_named_pdf_is_refused_and_another_county_finds_nothing()
    {
        var county = await factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        var child = await coordinator.GetFromJsonAsync<StudentDto>($"/api/students/{county.Eligible}", ServiceFactory.Json);
        var assessment = child!.Assessments.Single().Id;
        var url = $"/api/students/{county.Eligible}/assessments/{assessment}/report";

        using (var exe = File([0x4D, 0x5A, 0x90, 0x00, 0x03], "评估报告.pdf"))
        {
            var refused = await coordinator.PostAsync(new Uri(url, UriKind.Relative), exe);
            refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            (await refused.Content.ReadAsStringAsync()).Should().Contain(AssessmentReports.NotADocument);
        }
        using (var json = JsonContent.Create(new { file = "x" }))
        {
            (await coordinator.PostAsync(new Uri(url, UriKind.Relative), json)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        }
        using (var pdf = File("%PDF-1.7 the committee's report"u8.ToArray(), "../../etc/评估报告.pdf"))
        {
            var kept = await coordinator.PostAsync(new Uri(url, UriKind.Relative), pdf);
            kept.StatusCode.Should().Be(HttpStatusCode.OK, await kept.Content.ReadAsStringAsync());
        }

        var approver = await county.As("approver");
        var download = await approver.GetAsync(new Uri(url, UriKind.Relative));
        download.StatusCode.Should().Be(HttpStatusCode.OK);
        download.Content.Headers.ContentType!.MediaType.Should().Be("application/pdf");
        download.Content.Headers.ContentDisposition!.FileNameStar.Should().Be("评估报告.pdf");
        using (var scope = factory.Services.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<AppDbContext>().Audit.AnyAsync(a => a.Action == "read-document" && a.ObjectId == assessment.ToString()))
                .Should().BeTrue();
        }
        (await (await county.As("auditor")).PostAsync(new Uri(url, UriKind.Relative), File("%PDF-1.7"u8.ToArray(), "a.pdf"))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var other = await (await factory.OtherCountyAsync()).As("approver");
        (await other.GetAsync(new Uri(url, UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_scanned_report_up_to_five_megabytes_is_kept_and_a_larger_one_is_refused_by_name()
    {
        var county = await factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        var child = await county.NewChildAsync();
        var assessment = (await coordinator.GetFromJsonAsync<StudentDto>($"/api/students/{child}", ServiceFactory.Json))!.Assessments.Single().Id;
        var url = new Uri($"/api/students/{child}/assessments/{assessment}/report", UriKind.Relative);
        static byte[] Pdf(int size)
        {
            var bytes = new byte[size];
            "%PDF-1.7 "u8.CopyTo(bytes);
            return bytes;
        }

        // A committee report is usually a scan: larger than the 1 MB every other request is held to.
        using (var scan = File(Pdf(3 * 1024 * 1024), "评估报告.pdf"))
        {
            var kept = await coordinator.PostAsync(url, scan);
            kept.StatusCode.Should().Be(HttpStatusCode.OK, await kept.Content.ReadAsStringAsync());
        }
        using (var huge = File(Pdf(AssessmentReports.MaxBytes + 1024), "评估报告.pdf"))
        {
            var refused = await coordinator.PostAsync(url, huge);
            ((int)refused.StatusCode).Should().BeOneOf(400, 413);
            (await refused.Content.ReadAsStringAsync()).Should().Contain("5 MB");
        }
    }
}
