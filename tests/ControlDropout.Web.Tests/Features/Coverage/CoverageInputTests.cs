using System.Net;
using System.Net.Http.Json;
using System.Xml.Linq;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Coverage;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Coverage;

/// <summary>Issue 11 §1, §4: a week that does not exist is a bad request; a term with odd stored dates never fails coverage.</summary>
public sealed class CoverageInputTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public CoverageInputTests(ServiceFactory factory) => _factory = factory;

    [Theory]
    [InlineData("2026-W99")]
    [InlineData("2026-W00")]
    [InlineData("2025-W53")]
    [InlineData("9999-W52")]
    [InlineData("2026-37")]
    public async Task A_week_that_does_not_exist_is_refused_naming_the_week(string week)
    {
        var county = await _factory.LincangAsync();
        var response = await (await county.As("auditor")).GetAsync(new Uri($"/api/coverage?week={week}", UriKind.Relative));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, "it used to answer 200 with every child exempt");
        (await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("week", out _).Should().BeTrue();
    }

    [Theory]
    [InlineData("0001-01-01", "0001-01-01")]
    [InlineData("9999-12-01", "9999-12-31")]
    [InlineData("2026-09-01", "2025-09-01")]
    [InlineData("0001-01-01", "9999-12-31")]
    public async Task A_term_with_dates_no_request_may_write_still_gives_a_matrix_and_weeks(string first, string last)
    {
        var county = await _factory.LincangAsync();
        var term = new Term { Id = TermId.New(), CountyCode = county.Code, Name = "旧数据学期", FirstDay = DateOnly.Parse(first, System.Globalization.CultureInfo.InvariantCulture), LastDay = DateOnly.Parse(last, System.Globalization.CultureInfo.InvariantCulture) };
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Terms.Add(term);
            await db.SaveChangesAsync();
        }
        var auditor = await county.As("auditor");
        var matrix = await auditor.GetAsync(new Uri($"/api/coverage/matrix?termId={term.Id}", UriKind.Relative));
        matrix.StatusCode.Should().Be(HttpStatusCode.OK, await matrix.Content.ReadAsStringAsync());
        (await matrix.ReadJsonAsync()).GetProperty("weeks").GetArrayLength().Should().BeInRange(1, 54, "at most a year of weeks is computed");
        (await auditor.GetAsync(new Uri($"/api/coverage?termId={term.Id}", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await auditor.GetAsync(new Uri($"/api/coverage?termId={term.Id}&week=2026-W37", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public void The_matrix_picture_is_xml_whatever_the_names_hold()
    {
        var svg = MatrixPicture.Render(["2026-W37", "2026-W99", ""], [(Guid.NewGuid(), "张\u0000某\u0001某\u001b<&>\"'\ud800", [CoverageStatus.Met, CoverageStatus.Missed, (CoverageStatus)42])]);
        var document = XDocument.Parse(svg);
        document.Root!.Value.Should().Contain("张 某 某 <&>\"'");
    }

    [Fact]
    public void The_week_and_travel_pictures_are_xml_whatever_the_names_hold()
    {
        XDocument.Parse(ControlDropout.Web.Features.Timetables.TravelPicture.Render([("李\u0000老\u001b师", 30), ("<王>", 0)]));
        XDocument.Parse(ControlDropout.Web.Features.Timetables.WeekPicture.Render("李\u0000老\u001b师", new DateOnly(2026, 9, 7), []));
    }
}
