using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ControlDropout.Web.Data;

/// <summary>
/// The same model on PostgreSQL. A type of its own only so that EF Core keeps a second migrations set
/// (<c>Data/PostgresMigrations</c>, generated for this type) beside SQLite's; everything else is
/// <see cref="AppDbContext"/>, which the services ask for either way.
/// </summary>
public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options, AuditActor? actor = null, TimeProvider? clock = null,
    Features.Calendar.HolidayCalendar? holidays = null)
    : AppDbContext(options, actor, clock, holidays);

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
