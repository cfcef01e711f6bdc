using System.Net;
using System.Net.Http.Json;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Access;

/// <summary>
/// Every endpoint, enumerated from the app's own endpoint data source so that a new one cannot slip
/// through: it answers 401 without a login, and 404 for another county's ids.
/// </summary>
public sealed class EndpointAccessTests : IClassFixture<ServiceFactory>
{
    /// <summary>The only routes open without a login. Adding one to the app fails this test until it is listed here.</summary>
    private static readonly string[] Anonymous =
    [
        "GET /health", "POST /api/auth/login", "GET /openapi/{documentName}.json", "GET /feeds/{token}.ics",
        "GET /scalar/{documentName?}", "GET /scalar/scalar.js", "GET /scalar/scalar.aspnetcore.js", "GET /scalar/favicon.svg",
        // Pages: signing in, and the error page a refusal is shown on.
        "GET /login", "GET /error/{code:int}",
    ];

    private readonly ServiceFactory _factory;

    public EndpointAccessTests(ServiceFactory factory) => _factory = factory;

    private List<(string Method, string Pattern, bool AllowsAnonymous)> Endpoints()
    {
        _factory.CreateClient().Dispose(); // Starts the host.
        return [.. _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'), e.Metadata.GetMetadata<IAllowAnonymous>() is not null)))];
    }

    private static string Fill(string pattern, Guid id, Guid? studentId = null) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, @"\{([^}:]+)[^}]*\}", m => m.Groups[1].Value == "studentId" && studentId is { } s ? s.ToString() : id.ToString());

    [Fact]
    public void Only_the_listed_endpoints_are_open_without_a_login()
    {
        Endpoints().Where(e => e.AllowsAnonymous).Select(e => $"{e.Method} {e.Pattern}")
            .Should().BeEquivalentTo(Anonymous);
    }

    [Fact]
    public async Task Every_other_endpoint_answers_401_without_a_login()
    {
        var client = _factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        foreach (var (method, pattern, _) in Endpoints().Where(e => !e.AllowsAnonymous))
        {
            var request = new HttpRequestMessage(new HttpMethod(method), Fill(pattern, Guid.NewGuid()));
            if (method is "POST" or "PUT")
            {
                request.Content = JsonContent.Create(new { });
            }
            var response = await client.SendAsync(request);
            if (pattern.StartsWith("/api/", StringComparison.Ordinal))
            {
                response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, $"{method} {pattern} must need a login");
            }
            else
            {
                // A page sends the visitor to sign in.
                response.StatusCode.Should().Be(HttpStatusCode.Redirect, $"{method} {pattern} must need a login");
                response.Headers.Location!.AbsolutePath.Should().Be("/login", $"{method} {pattern} sends the visitor to sign in");
            }
        }
    }

    private async Task<Guid> ForeignUserIdAsync(string userName)
    {
        using var scope = _factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Web.Data.AppUser>>();
        return Guid.Parse((await users.FindByNameAsync(userName))!.Id);
    }

    [Fact]
    public async Task Every_endpoint_with_an_id_answers_404_for_another_countys_id()
    {
        var home = await _factory.LincangAsync();
        var other = await _factory.OtherCountyAsync();
        var otherCoordinator = await other.As("coordinator");
        var (_, foreignPlan) = await otherCoordinator.CreatePlanAsync(await other.NewChildAsync(), other.Term);
        var roles = new[] { "admin", "approver", "coordinator", "teacher", "auditor" };
        // The other county's id of the right kind for each route family: a new family must be added here.
        var foreignChild = await other.NewChildAsync();
        Guid foreignRun;
        Guid foreignTimetable;
        Guid foreignVisit;
        Guid foreignNotice;
        Guid foreignPhoto;
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Web.Data.AppDbContext>();
            var run = new Web.Domain.TimetableRun { CountyCode = other.Code, TermId = other.Term, StartedBy = "approver", CreatedAt = DateTimeOffset.UnixEpoch, Status = Web.Domain.RunStatus.Running };
            var timetable = new Web.Domain.Timetable
            {
                CountyCode = other.Code, TermId = other.Term, RunId = run.Id, CreatedAt = DateTimeOffset.UnixEpoch, TemplateJson = "{}", ScenarioJson = "{}",
                Unassigned = [new Web.Domain.UnassignedChild { StudentId = foreignChild, Mode = "home", ReasonCode = "NoQualifiedTeacher", ReasonMessage = "无" }],
            };
            var visit = new Web.Domain.VisitRecord
            {
                CountyCode = other.Code, SessionKey = $"{foreignChild}:home:0:2026-W37", StudentId = foreignChild, Version = 1, Date = new DateOnly(2026, 9, 8),
                Start = new TimeOnly(9, 0), End = new TimeOnly(10, 20), Mode = "home", RecordedBy = "teacher", RecordedAt = DateTimeOffset.UnixEpoch,
            };
            // A child transferred to the other county: its notice is that county's to acknowledge.
            var notice = new Web.Domain.TransferNotice
            {
                FromCountyCode = home.Code, ToCountyCode = other.Code, FromStudentId = foreignChild, StudentName = "转出童", Gender = "女", BirthDate = new DateOnly(2016, 1, 1),
                DisabilityCategory = Web.Domain.DisabilityCategory.Physical, DisabilityGrade = 1, LastDay = new DateOnly(2026, 9, 30), Note = "测试", SentAt = DateTimeOffset.UnixEpoch,
            };
            db.Runs.Add(run);
            db.Timetables.Add(timetable);
            db.Visits.Add(visit);
            db.TransferNotices.Add(notice);
            var photo = new Web.Domain.VisitPhoto
            {
                CountyCode = other.Code, SessionKey = visit.SessionKey, StudentId = foreignChild, Sha256 = new string('a', 64), ContentType = "image/jpeg",
                Width = 1, Height = 1, Length = 1, UploadedBy = "teacher", UploadedAt = DateTimeOffset.UnixEpoch,
            };
            db.VisitPhotos.Add(photo);
            await db.SaveChangesAsync();
            (foreignRun, foreignTimetable, foreignVisit, foreignNotice, foreignPhoto) = (run.Id, timetable.Id, visit.Id, notice.Id, photo.Id);
        }
        var foreignIds = new Dictionary<string, Guid>
        {
            ["/api/plans/"] = foreignPlan!.Id,
            ["/api/terms/"] = other.Term.Value,
            ["/api/timetables/runs/"] = foreignRun,
            ["/api/timetables/"] = foreignTimetable,
            ["/api/staff/"] = other.Teacher.Value,
            ["/api/students/"] = foreignChild.Value,
            ["/api/visits/"] = foreignVisit,
            ["/api/photos/"] = foreignPhoto,
            ["/api/transfers/"] = foreignNotice,
            ["/api/users/"] = await ForeignUserIdAsync(other.Accounts["teacher"]),
            ["/api/schools/"] = other.School.Value,
        };

        // Pages are checked in PageSecurityTests, over the same handlers.
        foreach (var (method, pattern, _) in Endpoints().Where(e => !e.AllowsAnonymous && e.Pattern.StartsWith("/api/", StringComparison.Ordinal) && e.Pattern.Contains("{id", StringComparison.Ordinal)))
        {
            var family = foreignIds.Keys.Where(k => pattern.StartsWith(k, StringComparison.Ordinal)).MaxBy(k => k.Length);
            family.Should().NotBeNull($"{pattern} needs another county's id in this test");
            var notFound = 0;
            foreach (var role in roles)
            {
                var request = new HttpRequestMessage(new HttpMethod(method), Fill(pattern, foreignIds[family!], foreignChild.Value))
                {
                    Headers = { { "If-Match", foreignPlan.ETag } },
                };
                if (method is "POST" or "PUT")
                {
                    request.Content = family switch
                    {
                        "/api/terms/" or "/api/staff/" => JsonContent.Create(new { firstDay = "2026-10-12", lastDay = "2026-10-13", reason = "测试" }),
                        "/api/students/" => JsonContent.Create(new { date = "2026-06-01", conclusion = "HomeTeaching" }),
                        "/api/plans/" when pattern.EndsWith("/grade-exception", StringComparison.Ordinal) => JsonContent.Create(new { reason = "测试" }),
                        "/api/visits/" => JsonContent.Create(new { sessionKey = "x", date = "2026-09-08", start = "09:00", end = "10:20", staffPresent = new[] { Guid.NewGuid() }, place = "Home", content = "x", correctionReason = "x" }),
                        _ => JsonContent.Create(Api.WeeklyHomePlan(), options: ServiceFactory.Json),
                    };
                }
                var response = await (await home.As(role)).SendAsync(request);
                // 403 is a role refused before any lookup; anything else would say something about the record.
                response.StatusCode.Should().BeOneOf([HttpStatusCode.NotFound, HttpStatusCode.Forbidden], $"{method} {pattern} as {role} must not reveal another county's record");
                notFound += response.StatusCode == HttpStatusCode.NotFound ? 1 : 0;
            }
            notFound.Should().BePositive($"some role may call {method} {pattern} and must get 404");
        }
        (await otherCoordinator.GetPlanAsync(foreignPlan.Id)).Versions.Should().ContainSingle("nothing was changed from the other county");
        (await (await other.As("approver")).GetFromJsonAsync<List<System.Text.Json.JsonElement>>($"/api/terms/{other.Term}/closures"))
            .Should().BeEmpty("no closure was added from the other county");
    }
}
