using ControlDropout.Web.Data;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Data;

/// <summary>
/// A county's database from before the enrolment and evidence columns, upgraded: its stored policy keeps usable
/// values (an assessment valid 12 months, the far-from-home distance 1,000 m), never the zeros a bare column gets.
/// </summary>
[Trait("Provider", ServiceFactory.SqliteOnly)]
public sealed class UpgradeTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"cd-upgrade-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }

    [Fact]
    public async Task A_policy_stored_before_the_new_columns_takes_their_defaults_on_upgrade()
    {
        var options = new DbContextOptionsBuilder<AppDbContext>().UseSqlite($"Data Source={_path}").Options;
        await using (var db = new AppDbContext(options))
        {
            // The schema as the service had it before issue 13, with a county's policy in it.
            await db.GetInfrastructure().GetRequiredService<IMigrator>().MigrateAsync("20261202020736_RecordOverTime");
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO \"Policies\" (\"CountyCode\", \"MinSessionsPerTeachingWeek\", \"LessonMinutes\", \"RemoteCountsTowardHomeMinimum\", \"MinAge\", \"MaxAge\", \"MaxDisabilityGrade\") VALUES ('530902', 1, 40, 1, 6, 15, 2)");
        }
        await using (var db = new AppDbContext(options))
        {
            await db.Database.MigrateAsync();
            var policy = await db.Policies.SingleAsync(p => p.CountyCode == "530902");
            policy.AssessmentValidMonths.Should().Be(12);
            policy.FarFromHomeMeters.Should().Be(1000);
            (policy.RequireGuardianConfirmation, policy.RequireCheckIn, policy.RequiredPhotos).Should().Be((false, false, 0), "an upgrade asks for no evidence the county did not ask for");
        }
    }
}
