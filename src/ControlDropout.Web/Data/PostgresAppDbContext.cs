using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ControlDropout.Web.Data;

/// <summary>
/// The same model on PostgreSQL. A type of its own only so that EF Core keeps a second migrations set
/// (<c>Data/PostgresMigrations</c>, generated for this type) beside SQLite's; everything else is
/// <see cref="AppDbContext"/>, which the services ask for either way.
/// </summary>
public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options, AuditActor? actor = null, TimeProvider? clock = null,
    Features.Calendar.HolidayCalendar? holidays = null)
    : AppDbContext(options, actor, clock, holidays)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // timestamptz holds an instant and Npgsql writes only offset 0, while the service makes its times in China's
        // offset (a check-in at 09:00 +08:00) and SQLite keeps them as written. The instant is what is stored either
        // way; what a page shows goes through Conventions.InChina, never through the stored offset.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<AsUtc>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<AsUtc>();
    }

    /// <summary>The same instant at offset 0, the only offset PostgreSQL's timestamptz takes.</summary>
    private sealed class AsUtc() : ValueConverter<DateTimeOffset, DateTimeOffset>(at => at.ToUniversalTime(), at => at);
}

/// <summary>
/// Lets <c>dotnet ef migrations add X --context PostgresAppDbContext</c> build the model with no server running
/// (adding a migration reads only the model).
/// </summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAppDbContext>
{
    public PostgresAppDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAppDbContext>().UseNpgsql("Host=localhost;Database=controldropout").Options);
}

/// <summary>The same for SQLite's set (without it the tools would build the SQLite type with the factory above).</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AppDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
