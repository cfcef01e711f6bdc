using System.Net;
using System.Text.RegularExpressions;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.People;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.People;

/// <summary>
/// Issue 13 §1 on the pages: a child, its 残联 registration, an assessment and a staff member entered by form,
/// each message beside its field; numbers shown masked and kept when posted back masked; scope as the API's.
/// </summary>
public sealed partial class ChildPageTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public ChildPageTests(ServiceFactory factory)
    {
        factory.Settings["Access:LoginAttemptsPerMinute"] = "1000";
        _factory = factory;
    }

    [GeneratedRegex("<input id=\"([^\"]+)\" name=\"([^\"]+)\" type=\"[^\"]+\" value=\"([^\"]*)\"")]
    private static partial Regex Input();

    [GeneratedRegex("<option value=\"([^\"]*)\" selected=\"selected\"")]
    private static partial Regex Selected();

    private static string ErrorBeside(string html, string input) =>
        Regex.Match(html, $"<span id=\"{input}-error\"[^>]*>([^<]*)</span>").Groups[1].Value;

    /// <summary>A 身份证号 of the county with a right check digit (the 17th digit odd for a boy, even for a girl).</summary>
    /// <remarks>Each call its own sequence: two children of the tests with one number would be the same child twice.</remarks>
    private static string IdCard(string county, DateOnly birth, bool girl) => IdentityNumbers.Compose(county, birth, (Interlocked.Increment(ref _sequence) * 2) + (girl ? 0 : 1));

    private static int _sequence = 100;

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, Dictionary<string, string> fields)
    {
        var token = PageBrowser.TokenIn(await client.GetStringAsync(new Uri(url, UriKind.Relative)));
        return await client.PostAsync(new Uri(url, UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token }));
    }

    private static Dictionary<string, string> NewChild(TestCounty county, string name, string idCard) => new()
    {
        ["Form.Name"] = name, ["Form.Gender"] = "女", ["Form.Ethnicity"] = "佤族", ["Form.BirthDate"] = "2016-03-05", ["Form.IdCardNo"] = idCard,
        ["Form.NationalStudentNo"] = "", ["Form.DisabilityCategory"] = "Intellectual", ["Form.DisabilityGrade"] = "2", ["Form.DisabilityCertificateNo"] = "",
        ["Form.DisabilityRegisteredOn"] = "", ["Form.SchoolOfRecordId"] = county.School.Value.ToString(), ["Form.VillageCode"] = county.Code + "102201",
        ["Form.HomeLat"] = "", ["Form.HomeLon"] = "",
        ["Form.Guardians[0].Name"] = "马某", ["Form.Guardians[0].Relation"] = "母亲", ["Form.Guardians[0].Phone"] = "13987654321",
    };

    private async Task<T> InDbAsync<T>(Func<AppDbContext, Task<T>> read)
    {
        using var scope = _factory.Services.CreateScope();
        return await read(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    [Fact]
    public async Task A_coordinator_adds_a_child_on_the_page_and_it_is_on_the_roll_with_its_village_s_place()
    {
        var county = await _factory.LincangAsync();
        var client = await PageBrowser.SignedInAsync(_factory, county, "coordinator");
        (await client.GetStringAsync(new Uri("/children", UriKind.Relative))).Should().Contain("href=\"/children/new\"", "the list links to 登记学生");
        var card = IdCard(county.Code, new DateOnly(2016, 3, 5), girl: true);

        var response = await PostAsync(client, "/children/new", NewChild(county, "页面甲", card));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        var child = await InDbAsync(db => db.Students.SingleAsync(s => s.Name == "页面甲"));
        response.Headers.Location!.ToString().Should().Be($"/children/{child.Id}");
        child.IdCardNo.Should().Be(card);
        child.VillageCode.Should().Be(county.Code + "102201");
        (child.HomeLat, child.HomeLon).Should().Be((23.87, 100.21), "the home is placed at its village when no coordinates are given");
        child.Guardians.Single().Phone.Should().Be("13987654321");
        (await client.GetStringAsync(new Uri("/children", UriKind.Relative))).Should().Contain("页面甲");
    }

    [Fact]
    public async Task A_village_without_coordinates_places_the_home_at_its_township()
    {
        var county = await _factory.LincangAsync();
        var client = await PageBrowser.SignedInAsync(_factory, county, "admin");
        var form = NewChild(county, "页面丁", IdCard(county.Code, new DateOnly(2016, 3, 5), girl: true));
        form["Form.VillageCode"] = county.Code + "102202";
        (await PostAsync(client, "/children/new", form)).StatusCode.Should().Be(HttpStatusCode.Redirect);
        var child = await InDbAsync(db => db.Students.SingleAsync(s => s.Name == "页面丁"));
        (child.HomeLat, child.HomeLon).Should().Be((23.86, 100.2));
    }

    [Fact]
    public async Task A_bad_id_card_number_is_refused_beside_its_field_and_nothing_is_stored()
    {
        var county = await _factory.LincangAsync();
        var client = await PageBrowser.SignedInAsync(_factory, county, "coordinator");
        var card = IdCard(county.Code, new DateOnly(2016, 3, 5), girl: true);
        var wrong = card[..17] + (card[17] == '0' ? '1' : '0');

        var response = await PostAsync(client, "/children/new", NewChild(county, "页面乙", wrong));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        ErrorBeside(html, "IdCardNo").Should().Contain("校验");
        html.Should().Contain("value=\"页面乙\"", "what was typed is kept");
        (await InDbAsync(db => db.Students.AnyAsync(s => s.Name == "页面乙"))).Should().BeFalse();
    }

    [Fact]
    public async Task The_same_child_twice_is_refused_beside_the_id_card_number()
    {
        var county = await _factory.LincangAsync();
        var client = await PageBrowser.SignedInAsync(_factory, county, "coordinator");
        var card = IdCard(county.Code, new DateOnly(2016, 3, 5), girl: true);
        (await PostAsync(client, "/children/new", NewChild(county, "页面戊", card))).StatusCode.Should().Be(HttpStatusCode.Redirect);

        var again = await PostAsync(client, "/children/new", NewChild(county, "页面戊二", card));

        again.StatusCode.Should().Be(HttpStatusCode.OK);
        ErrorBeside(await again.Content.ReadAsStringAsync(), "IdCardNo").Should().Be("该身份证号的学生已登记");
    }

    [Fact]
    public async Task The_edit_form_shows_numbers_and_phones_masked_and_posting_them_back_keeps_what_is_stored()
    {
        var county = await _factory.LincangAsync();
        var client = await PageBrowser.SignedInAsync(_factory, county, "coordinator");
        var card = IdCard(county.Code, new DateOnly(2016, 3, 5), girl: true);
        var form = NewChild(county, "页面丙", card);
        form["Form.NationalStudentNo"] = "G20160305000123";
        form["Form.DisabilityCertificateNo"] = "53090220160305222";
        form["Form.DisabilityRegisteredOn"] = "2025-12-01";
        form["Form.Guardians[1].Name"] = "王某";
        form["Form.Guardians[1].Relation"] = "父亲";
        form["Form.Guardians[1].Phone"] = "13711112222";
        (await PostAsync(client, "/children/new", form)).StatusCode.Should().Be(HttpStatusCode.Redirect);
        var id = await InDbAsync(db => db.Students.Where(s => s.Name == "页面丙").Select(s => s.Id).SingleAsync());

        var edit = await client.GetStringAsync(new Uri($"/children/{id}/edit", UriKind.Relative));
        foreach (var secret in new[] { card, "G20160305000123", "53090220160305222", "13987654321", "13711112222" })
        {
            edit.Should().NotContain(secret, "the form never carries an unmasked value");
        }
        var shown = Input().Matches(edit).ToDictionary(m => m.Groups[2].Value, m => System.Net.WebUtility.HtmlDecode(m.Groups[3].Value));
        shown["Form.IdCardNo"].Should().Be(Masking.Identifier(card));
        shown["Form.Guardians[0].Phone"].Should().Be("139****4321");

        // Posted back as shown, with only the name and the second guardian's phone changed.
        var back = new Dictionary<string, string>(shown)
        {
            ["Form.Name"] = "页面丙改", ["Form.Guardians[1].Phone"] = "13633334444", ["Form.Gender"] = "女", ["Form.DisabilityCategory"] = "Intellectual",
            ["Form.DisabilityGrade"] = "2", ["Form.SchoolOfRecordId"] = county.School.Value.ToString(), ["Form.VillageCode"] = county.Code + "102201",
        };
        var response = await PostAsync(client, $"/children/{id}/edit", back);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        var stored = await InDbAsync(db => db.Students.AsNoTracking().SingleAsync(s => s.Id == id));
        stored.Name.Should().Be("页面丙改");
        stored.IdCardNo.Should().Be(card);
        stored.NationalStudentNo.Should().Be("G20160305000123");
        stored.DisabilityCertificateNo.Should().Be("53090220160305222");
        stored.Guardians.Select(g => g.Phone).Should().Equal("13987654321", "13633334444");
    }

    [Fact]
    public async Task Registration_and_an_assessment_with_its_report_are_entered_on_their_pages()
    {
        var county = await _factory.LincangAsync();
        var client = await PageBrowser.SignedInAsync(_factory, county, "coordinator");
        (await PostAsync(client, "/children/new", NewChild(county, "页面己", IdCard(county.Code, new DateOnly(2016, 3, 5), girl: true)))).StatusCode.Should().Be(HttpStatusCode.Redirect);
        var id = await InDbAsync(db => db.Students.Where(s => s.Name == "页面己").Select(s => s.Id).SingleAsync());
        var child = await client.GetStringAsync(new Uri($"/children/{id}", UriKind.Relative));
        child.Should().Contain($"href=\"/children/{id}/edit\"").And.Contain($"href=\"/children/{id}/registration\"").And.Contain($"href=\"/children/{id}/assessments/new\"");

        var bad = await PostAsync(client, $"/children/{id}/registration", new() { ["Form.CertificateNo"] = "", ["Form.Category"] = "Intellectual", ["Form.Grade"] = "2", ["Form.RegisteredOn"] = "2025-12-01" });
        bad.StatusCode.Should().Be(HttpStatusCode.OK);
        ErrorBeside(await bad.Content.ReadAsStringAsync(), "CertificateNo").Should().Be("请填写残疾人证号");
        var registered = await PostAsync(client, $"/children/{id}/registration",
            new() { ["Form.CertificateNo"] = "53090220160305111", ["Form.Category"] = "Intellectual", ["Form.Grade"] = "2", ["Form.RegisteredOn"] = "2025-12-01" });
        registered.StatusCode.Should().Be(HttpStatusCode.Redirect);

        var url = $"/children/{id}/assessments/new";
        var token = PageBrowser.TokenIn(await client.GetStringAsync(new Uri(url, UriKind.Relative)));
        using var multipart = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" }, { new StringContent("2026-08-20"), "Form.Date" }, { new StringContent("HomeTeaching"), "Form.Conclusion" },
            { new StringContent("临教专评〔2026〕12号"), "Form.DocumentNo" }, { new StringContent("赵专家\n钱医生"), "Form.Members" }, { new StringContent("建议送教上门"), "Form.Note" },
            { new ByteArrayContent("%PDF-1.4 report"u8.ToArray()), "Report", "报告.pdf" },
        };
        var assessed = await client.PostAsync(new Uri(url, UriKind.Relative), multipart);
        assessed.StatusCode.Should().Be(HttpStatusCode.Redirect, await assessed.Content.ReadAsStringAsync());

        var stored = await InDbAsync(db => db.Students.Include(s => s.Assessments).AsNoTracking().SingleAsync(s => s.Id == id));
        stored.DisabilityCertificateNo.Should().Be("53090220160305111");
        stored.DisabilityRegisteredOn.Should().Be(new DateOnly(2025, 12, 1));
        var assessment = stored.Assessments.Single();
        (assessment.DocumentNo, assessment.Members, assessment.Conclusion).Should().Be(("临教专评〔2026〕12号", assessment.Members, AssessmentConclusion.HomeTeaching));
        assessment.Members.Should().Equal("赵专家", "钱医生");
        assessment.ReportDocumentId.Should().NotBeNull();

        var page = await client.GetStringAsync(new Uri($"/children/{id}", UriKind.Relative));
        page.Should().Contain($"/children/{id}/assessments/{assessment.Id}/edit").And.Contain($"/children/{id}/assessments/{assessment.Id}/report");
        var report = await client.GetAsync(new Uri($"/children/{id}/assessments/{assessment.Id}/report", UriKind.Relative));
        report.Content.Headers.ContentType!.MediaType.Should().Be("application/pdf");
        (await InDbAsync(db => db.Audit.AnyAsync(a => a.Action == "read-document" && a.ObjectId == assessment.Id.ToString()))).Should().BeTrue("a report read is audited");
    }

    [Fact]
    public async Task A_report_that_is_not_a_pdf_or_a_picture_is_refused_beside_the_file_field()
    {
        var county = await _factory.LincangAsync();
        var child = await county.NewChildAsync();
        var client = await PageBrowser.SignedInAsync(_factory, county, "coordinator");
        var url = $"/children/{child}/assessments/new";
        var token = PageBrowser.TokenIn(await client.GetStringAsync(new Uri(url, UriKind.Relative)));
        using var multipart = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" }, { new StringContent("2026-08-21"), "Form.Date" }, { new StringContent("HomeTeaching"), "Form.Conclusion" },
            { new ByteArrayContent("MZ\x90\0 not a pdf"u8.ToArray()), "Report", "报告.pdf" },
        };
        var response = await client.PostAsync(new Uri(url, UriKind.Relative), multipart);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        ErrorBeside(await response.Content.ReadAsStringAsync(), "Report").Should().Be(AssessmentReports.NotADocument);
        (await InDbAsync(db => db.Documents.AnyAsync(d => d.FileName.StartsWith("报告")  && d.Content.Length < 20 && d.ContentType != "application/pdf"))).Should().BeFalse();
    }

    [Fact]
    public async Task A_scanned_report_larger_than_other_forms_is_kept_from_the_page()
    {
        var county = await _factory.LincangAsync();
        var child = await county.NewChildAsync();
        var client = await PageBrowser.SignedInAsync(_factory, county, "coordinator");
        var url = $"/children/{child}/assessments/new";
        var token = PageBrowser.TokenIn(await client.GetStringAsync(new Uri(url, UriKind.Relative)));
        var scan = new byte[3 * 1024 * 1024];
        "%PDF-1.7 "u8.CopyTo(scan);
        using var multipart = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" }, { new StringContent("2026-08-22"), "Form.Date" }, { new StringContent("HomeTeaching"), "Form.Conclusion" },
            { new ByteArrayContent(scan), "Report", "扫描件.pdf" },
        };
        var response = await client.PostAsync(new Uri(url, UriKind.Relative), multipart);
        response.StatusCode.Should().Be(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        (await InDbAsync(db => db.Documents.AnyAsync(d => d.FileName == "扫描件.pdf" && d.Content.Length == scan.Length))).Should().BeTrue();
    }

    [Fact]
    public async Task A_coordinator_of_another_school_finds_no_such_child_to_edit()
    {
        var county = await _factory.LincangAsync();
        var other = await OtherSchoolChildAsync(county);
        var client = await PageBrowser.SignedInAsync(_factory, county, "coordinator");
        foreach (var url in new[] { $"/children/{other}/edit", $"/children/{other}/registration", $"/children/{other}/assessments/new" })
        {
            (await client.GetAsync(new Uri(url, UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound, url);
        }
        var token = PageBrowser.TokenIn(await client.GetStringAsync(new Uri("/children/new", UriKind.Relative)));
        var post = await client.PostAsync(new Uri($"/children/{other}/edit", UriKind.Relative), new FormUrlEncodedContent(
            new Dictionary<string, string>(NewChild(county, "冒名", "")) { ["__RequestVerificationToken"] = token }));
        post.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await InDbAsync(db => db.Students.AnyAsync(s => s.Name == "冒名"))).Should().BeFalse();
    }

    [Theory]
    [InlineData("auditor")]
    [InlineData("teacher")]
    public async Task Those_who_do_not_enrol_are_denied_the_forms(string role)
    {
        var county = await _factory.LincangAsync();
        var client = await PageBrowser.SignedInAsync(_factory, county, role);
        foreach (var url in new[] { "/children/new", $"/children/{county.Eligible}/edit", $"/children/{county.Eligible}/registration", "/staff/new" })
        {
            var response = await client.GetAsync(new Uri(url, UriKind.Relative));
            response.StatusCode.Should().BeOneOf([HttpStatusCode.Forbidden, HttpStatusCode.Redirect], url);
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                response.Headers.Location!.ToString().Should().Contain("/denied", url);
            }
        }
        (await client.GetStringAsync(new Uri("/children", UriKind.Relative)).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : "")).Should().NotContain("登记学生");
    }

    [Fact]
    public async Task A_staff_member_is_registered_and_corrected_on_the_page_with_the_phone_kept_masked()
    {
        var county = await _factory.LincangAsync();
        var client = await PageBrowser.SignedInAsync(_factory, county, "approver");
        (await client.GetStringAsync(new Uri("/staff", UriKind.Relative))).Should().Contain("href=\"/staff/new\"");
        var form = new Dictionary<string, string>
        {
            ["Form.Name"] = "页面老师", ["Form.Department"] = "Health", ["Form.SchoolId"] = county.School.Value.ToString(), ["Form.Phone"] = "13566667777",
            ["Form.Skills"] = "rehabilitation", ["Form.Days[1].On"] = "true", ["Form.Days[1].From"] = "09:00", ["Form.Days[1].To"] = "16:00",
            ["Form.MaxSessionsPerWeek"] = "6", ["Form.MaxAwayMinutesPerDay"] = "", ["Form.CanTeachRemotely"] = "true",
        };
        for (var d = 0; d < 7; d++)
        {
            // A browser posts every day's times; only the ticked days are available.
            form.TryAdd($"Form.Days[{d}].From", "08:30");
            form.TryAdd($"Form.Days[{d}].To", "17:00");
        }
        var bad = await PostAsync(client, "/staff/new", new Dictionary<string, string>(form) { ["Form.Phone"] = "1234" });
        bad.StatusCode.Should().Be(HttpStatusCode.OK);
        ErrorBeside(await bad.Content.ReadAsStringAsync(), "Phone").Should().Be(Phones.Message);

        var created = await PostAsync(client, "/staff/new", form);
        created.StatusCode.Should().Be(HttpStatusCode.Redirect, await created.Content.ReadAsStringAsync());
        var staff = await InDbAsync(db => db.Staff.AsNoTracking().SingleAsync(s => s.Name == "页面老师"));
        (staff.Phone, staff.Department, staff.CanTeachRemotely, staff.MaxSessionsPerWeek).Should().Be(("13566667777", Department.Health, true, 6));
        staff.Availability.Single().Day.Should().Be(2);
        staff.Skills.Should().Equal("rehabilitation");

        var edit = await client.GetStringAsync(new Uri($"/staff/{staff.Id}/edit", UriKind.Relative));
        edit.Should().NotContain("13566667777").And.Contain("135****7777");
        var again = await PostAsync(client, $"/staff/{staff.Id}/edit", new Dictionary<string, string>(form) { ["Form.Phone"] = "135****7777", ["Form.MaxSessionsPerWeek"] = "4" });
        again.StatusCode.Should().Be(HttpStatusCode.Redirect, await again.Content.ReadAsStringAsync());
        var saved = await InDbAsync(db => db.Staff.AsNoTracking().SingleAsync(s => s.Id == staff.Id));
        (saved.Phone, saved.MaxSessionsPerWeek).Should().Be(("13566667777", 4));

        var duplicate = await PostAsync(client, "/staff/new", new Dictionary<string, string>(form) { ["Form.Name"] = "页面老师二" });
        ErrorBeside(await duplicate.Content.ReadAsStringAsync(), "Phone").Should().Be("该手机号的人员已登记");
    }

    /// <summary>A second school of the county with a child of its own.</summary>
    private async Task<StudentId> OtherSchoolChildAsync(TestCounty county)
    {
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var school = new School { Id = SchoolId.New(), CountyCode = county.Code, TownshipCode = county.Code + "102", Name = "南美中心小学", Kind = SchoolKind.Regular };
        db.Schools.Add(school);
        var child = Enrolment.NewStudent(county.Code, school.Id);
        child.Name = "别校学生";
        child.Gender = "男";
        child.BirthDate = new DateOnly(2015, 5, 1);
        child.VillageCode = county.Code + "102201";
        child.NationalStudentNo = EnrolmentTests.UniqueStudentNo();
        db.Students.Add(child);
        await db.SaveChangesAsync();
        return child.Id;
    }
}
