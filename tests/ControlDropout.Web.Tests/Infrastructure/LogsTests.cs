using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Data.Demo;
using ControlDropout.Web.Infrastructure;
using ControlDropout.Web.Tests.Features.Imports;
using ControlDropout.Web.Tests.Features.Visits;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Infrastructure;

/// <summary>
/// The log file of a feature flow (sign-in, a visit record, a refused import, a feed), with every framework
/// category turned up to Information (more than production keeps), holds none of the personal values it handled.
/// </summary>
public sealed class LogsTests
{
    /// <summary>Set by tests/run.sh: where <see cref="Lists_every_seeded_personal_value_for_the_run_s_log_grep"/> writes the values, one a line.</summary>
    public const string PersonalValuesVariable = "CONTROLDROPOUT_TEST_PERSONAL_VALUES";

    /// <summary>A full record of a session, with free text a teacher types.</summary>
    public static object VisitBody(string sessionKey, string date, Guid staff) => new
    {
        sessionKey, date, start = "09:00", end = "10:20", staffPresent = new[] { staff }, place = "Home",
        content = "练习抓握和穿珠子", goalsAddressed = new[] { "能独立抓握勺子" }, childResponse = "配合良好", guardianFeedback = "家长很满意这次的送教", guardianName = "周某芳", homeTask = "每天练习",
    };

    [Fact]
    public async Task A_feature_flow_logs_ids_and_types_never_a_childs_data()
    {
        var log = Path.Combine(Path.GetTempPath(), $"controldropout-log-{Guid.NewGuid():N}.jsonl");
        try
        {
            using var factory = new ServiceFactory();
            factory.Settings[Logs.FilePathSetting] = log;
            factory.Settings["Logging:LogLevel:Default"] = "Information";
            factory.Settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Information";
            factory.Settings["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Information";
            var seeded = await RecordsCounty.SeedAsync(factory);
            var county = seeded.County;
            var typed = new List<string> { ServiceFactory.Password, "练习抓握和穿珠子", "家长很满意这次的送教", "周某芳" };

            // Sign-in, right and wrong.
            var teacher = await county.As("teacher");
            (await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { userName = county.Accounts["teacher"], password = "Wrong-password-123" })).StatusCode
                .Should().Be(HttpStatusCode.Unauthorized);
            // A visit record, after the visit.
            factory.Clock.SetUtcNow(new DateTimeOffset(2026, 9, 10, 3, 0, 0, TimeSpan.Zero));
            teacher = await county.As("teacher");
            var recorded = await teacher.PostAsJsonAsync("/api/visits", VisitBody(seeded.UnrecordedSession, "2026-09-10", county.Teacher.Value));
            recorded.StatusCode.Should().Be(HttpStatusCode.Created, await recorded.Content.ReadAsStringAsync());
            // A roster refused for one bad identity number: every row's values went through the service.
            var rows = Rosters.Children(county.Code, "临翔区特殊教育学校", 5, new DateOnly(2014, 2, 1));
            rows[2]["身份证号"] = rows[2]["身份证号"][..17] + (rows[2]["身份证号"][17] == '0' ? '1' : '0');
            typed.AddRange(rows.SelectMany(r => new[] { r["姓名"], r["身份证号"], r["残疾人证号"], r["全国学籍号"], r["监护人"], r["监护人电话"] }));
            using (var form = Rosters.Form(Rosters.Xlsx(rows, Rosters.StudentHeaders), "名册.xlsx"))
            {
                (await (await county.As("admin")).PostAsync(new Uri("/api/imports/students", UriKind.Relative), form)).StatusCode.Should().Be((HttpStatusCode)422);
            }
            // A feed: its token is in the path ASP.NET Core logs and scopes.
            var url = (await teacher.GetFromJsonAsync<JsonElement>("/api/staff/me/feed")).GetProperty("url").GetString()!;
            typed.Add(url[(url.LastIndexOf('/') + 1)..^".ics".Length]);
            (await factory.CreateClient().GetAsync(new Uri(new Uri(url).PathAndQuery, UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);

            var values = (await PersonalValuesAsync(factory)).Concat(typed).ToList();
            var text = await File.ReadAllTextAsync(log);
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            lines.Should().OnlyContain(line => JsonDocument.Parse(line, default).RootElement.ValueKind == JsonValueKind.Object, "one JSON object a line");
            text.Should().Contain("\"category\":\"Microsoft.EntityFrameworkCore.Database.Command\"", "SQL commands were logged, with their parameters hidden")
                .And.Contain("\"category\":\"Microsoft.AspNetCore.Hosting.Diagnostics\"", "requests were logged")
                .And.Contain("\"RequestId\"", "each request's lines carry its scope")
                .And.Contain("\"TraceId\"")
                .And.Contain(Telemetry.RedactedFeedPath, "the feed's path is logged, redacted");
            values.Should().HaveCountGreaterThan(20);
            foreach (var value in values)
            {
                text.Should().NotContain(value, "a log line holds ids and types, never a personal value or a secret");
            }
        }
        finally
        {
            File.Delete(log);
        }
    }

    [Fact]
    public async Task Lists_every_seeded_personal_value_for_the_run_s_log_grep()
    {
        if (ServiceFactory.OnPostgres)
        {
            // The seeders' values do not depend on the provider: the SQLite pass lists them (and the demo seeder
            // does not run on PostgreSQL yet: it writes +08:00 instants, which Npgsql refuses).
            return;
        }
        var values = new SortedSet<string>(StringComparer.Ordinal);
        using (var factory = new ServiceFactory())
        {
            var county = await factory.LincangAsync();
            await factory.OtherCountyAsync();
            await county.NewChildAsync();
            await SchedulableCounty.AddAsync(county, children: 1);
            await RecordsCounty.SeedAsync(factory);
            values.UnionWith(await PersonalValuesAsync(factory));
        }
        using (var demo = new ServiceFactory())
        {
            demo.CreateClient().Dispose();
            using (var scope = demo.Services.CreateScope())
            {
                (await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(DemoSeeder.DefaultPassword, CancellationToken.None)).Should().BeTrue();
            }
            values.UnionWith(await PersonalValuesAsync(demo));
        }
        values.Should().Contain(["张某某", "13800001234", "53090220150101002X41", "孙某某", "周某某", "吴某某"]);
        values.Count.Should().BeGreaterThan(27 * 3, "the demo county's 27 children are listed too");
        if (Environment.GetEnvironmentVariable(PersonalValuesVariable) is { Length: > 0 } path)
        {
            await File.WriteAllLinesAsync(path, values);
        }
    }

    /// <summary>Every child's name and numbers and every guardian's name and phone in the factory's database.</summary>
    private static async Task<IReadOnlyList<string>> PersonalValuesAsync(ServiceFactory factory)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var students = await db.Students.AsNoTracking().ToListAsync();
        return [.. students
            .SelectMany(s => new[] { s.Name, s.IdCardNo, s.DisabilityCertificateNo, s.NationalStudentNo }
                .Concat(s.Guardians.SelectMany(g => new[] { g.Name, g.Phone })))
            .Where(v => v.Length >= 2)
            .Distinct()];
    }
}
