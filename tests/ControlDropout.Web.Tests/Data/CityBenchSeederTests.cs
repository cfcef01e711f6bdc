using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Data.Demo;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Data;

public sealed class CityBenchSeederTests : IClassFixture<ServiceFactory>, IDisposable
{
    private readonly ServiceFactory _factory;
    private readonly DirectoryInfo _out = Directory.CreateTempSubdirectory("city-seed-");

    public CityBenchSeederTests(ServiceFactory factory) => _factory = factory;

    public void Dispose() => _out.Delete(recursive: true);

    [Fact]
    public async Task Seeds_the_eight_counties_with_one_audit_entry_each_on_a_chain_that_verifies_and_accounts_that_sign_in()
    {
        _factory.CreateClient().Dispose();
        (await CityBenchSeeder.SeedAsync(_factory.Services, new CityBenchSeeder.Options(Children: 20, Staff: 6, _out.FullName, Solve: false))).Should().Be(0);

        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            (await db.Counties.CountAsync()).Should().Be(8);
            (await db.Students.CountAsync()).Should().Be(160);
            (await db.Staff.CountAsync()).Should().Be(48);
            (await db.Timetables.CountAsync(t => t.Status == TimetableStatus.Published)).Should().Be(8);
            (await db.Visits.CountAsync()).Should().BePositive("the fake clock is a week into term: its first days are recorded");
            var audit = await db.Audit.AsNoTracking().ToListAsync();
            audit.Where(a => a.Action == CityBenchSeeder.SeedAction).Select(a => a.CountyCode).Should().BeEquivalentTo(CityBenchSeeder.CountyCodes);
            audit.Should().NotContain(a => a.ObjectType == nameof(Student) || a.ObjectType == nameof(VisitRecord), "a seed is one event per county, not a row per record");
            (await db.Students.ToListAsync()).Should().OnlyContain(s => s.Name.Contains('某'), "the seed's children are synthetic");
        }

        File.ReadAllLines(Path.Combine(_out.FullName, "counties.txt")).Should().HaveCount(8);
        var feeds = File.ReadAllLines(Path.Combine(_out.FullName, "feeds.txt"));
        feeds.Should().HaveCount(48);
        using var anonymous = _factory.CreateClient();
        (await anonymous.GetAsync(new Uri(feeds[^1], UriKind.Relative))).IsSuccessStatusCode.Should().BeTrue("the written feed URLs are live");

        foreach (var role in CityBenchSeeder.Accounts)
        {
            var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = $"530921-{role}", password = CityBenchSeeder.BenchPassword });
            login.IsSuccessStatusCode.Should().BeTrue($"the seeded {role} signs in");
        }
        var auditor = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = "530927-auditor", password = CityBenchSeeder.BenchPassword });
        var token = (await auditor.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        using var verify = new HttpRequestMessage(HttpMethod.Get, "/api/audit/verify");
        verify.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var chain = await (await anonymous.SendAsync(verify)).Content.ReadFromJsonAsync<JsonElement>();
        chain.GetProperty("intact").GetBoolean().Should().BeTrue("the dropped per-row entries were never chained onto");
    }
}
