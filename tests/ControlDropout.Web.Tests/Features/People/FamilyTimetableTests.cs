using System.Net;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Visits;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.People;

/// <summary>
/// Issue 14 §4: a family's printed 课表 card — the child's term week by week, the team with phones in full, and the
/// confirmation code the guardian tells the teacher — for those who may see the child only, and audited.
/// </summary>
public sealed class FamilyTimetableTests : IClassFixture<ServiceFactory>
{
    private const string TeacherPhone = "13912345678";
    private readonly ServiceFactory _factory;
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static readonly Dictionary<ServiceFactory, (TestCounty County, StudentId Child)> Published = [];

    public FamilyTimetableTests(ServiceFactory factory) => _factory = factory;

    /// <summary>The county's teacher account carries one child's sessions in a published timetable; the teacher has a phone.</summary>
    private async Task<(TestCounty County, StudentId Child)> PublishedAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (Published.TryGetValue(_factory, out var done))
            {
                return done;
            }
            var county = await _factory.LincangAsync();
            await SchedulableCounty.MakeTheTeacherSchedulableAsync(county);
            var child = (await SchedulableCounty.AddAsync(county, children: 1))[0];
            using (var scope = _factory.Services.CreateScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                (await db.Staff.SingleAsync(s => s.Id == county.Teacher)).Phone = TeacherPhone;
                (await db.Students.SingleAsync(s => s.Id == child)).Name = "周小梅";
                await db.SaveChangesAsync();
            }
            await (await county.As("approver")).RunAndPublishAsync(county.Term);
            Published[_factory] = (county, child);
            return (county, child);
        }
        finally
        {
            Once.Release();
        }
    }

    private async Task<string> CodeAsync(StudentId child, TermId term)
    {
        using var scope = _factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ConfirmationCodes>().ForAsync(child, term, CancellationToken.None);
    }

    private static string CodeOn(string html)
    {
        var at = html.IndexOf("data-code>", StringComparison.Ordinal);
        at.Should().BePositive("the card shows the code");
        return html.Substring(at + "data-code>".Length, 4);
    }

    [Fact]
    public async Task The_card_shows_the_childs_name_the_team_with_phones_in_full_each_week_and_the_terms_confirmation_code()
    {
        var (county, child) = await PublishedAsync();
        var coordinator = await PageBrowser.SignedInAsync(_factory, county, "coordinator");

        var html = await coordinator.GetStringAsync(new Uri($"/children/{child}/timetable", UriKind.Relative));

        CodeOn(html).Should().Be(await CodeAsync(child, county.Term)).And.MatchRegex("^[0-9]{4}$");
        html.Should().Contain("送教老师到访后，请把此确认码告诉老师");
        html.Should().Contain("周小梅").And.Contain("李老师").And.Contain(TeacherPhone).And.Contain("2026年秋季学期");
        html.Should().Contain("送教上门").And.Contain("第38周").And.Contain($"href=\"tel:{TeacherPhone}\"");
    }

    [Fact]
    public async Task The_code_changes_with_the_term()
    {
        var (county, child) = await PublishedAsync();
        var spring = new Term { Id = TermId.New(), CountyCode = county.Code, Name = "2027年春季学期", FirstDay = new DateOnly(2027, 2, 22), LastDay = new DateOnly(2027, 7, 2) };
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Terms.Add(spring);
            await db.SaveChangesAsync();
        }
        var approver = await PageBrowser.SignedInAsync(_factory, county, "approver");

        var autumn = CodeOn(await approver.GetStringAsync(new Uri($"/children/{child}/timetable", UriKind.Relative)));
        var next = CodeOn(await approver.GetStringAsync(new Uri($"/children/{child}/timetable?term={spring.Id}", UriKind.Relative)));

        next.Should().Be(await CodeAsync(child, spring.Id)).And.NotBe(autumn);
        autumn.Should().Be(await CodeAsync(child, county.Term));
    }

    [Fact]
    public async Task A_teacher_of_the_team_may_print_it_and_a_teacher_not_on_the_team_gets_404()
    {
        var (county, child) = await PublishedAsync();
        var teacher = await PageBrowser.SignedInAsync(_factory, county, "teacher");

        (await teacher.GetAsync(new Uri($"/children/{child}/timetable", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
        // A child of the county whom this teacher does not teach: as if it did not exist.
        (await teacher.GetAsync(new Uri($"/children/{county.Eligible}/timetable", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_countys_child_answers_404()
    {
        var (_, child) = await PublishedAsync();
        var other = await _factory.OtherCountyAsync();
        var approver = await PageBrowser.SignedInAsync(_factory, other, "approver");

        (await approver.GetAsync(new Uri($"/children/{child}/timetable", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await approver.GetAsync(new Uri($"/children/{Guid.NewGuid()}/timetable", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Every_print_is_an_audited_read_with_ids_only_in_the_summary()
    {
        var (county, child) = await PublishedAsync();
        var auditor = await PageBrowser.SignedInAsync(_factory, county, "auditor");
        int Count(AppDbContext db) => db.Audit.AsNoTracking().Count(a => a.Action == "print-family-card" && a.ObjectId == child.ToString());
        int before;
        using (var scope = _factory.Services.CreateScope())
        {
            before = Count(scope.ServiceProvider.GetRequiredService<AppDbContext>());
        }

        (await auditor.GetAsync(new Uri($"/children/{child}/timetable", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);

        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Count(db).Should().Be(before + 1);
            var entry = db.Audit.AsNoTracking().Where(a => a.Action == "print-family-card" && a.ObjectId == child.ToString()).AsEnumerable().Last();
            entry.ObjectType.Should().Be("Student");
            entry.Summary.Should().NotContain(TeacherPhone).And.NotContain("周小梅");
        }
    }
}
