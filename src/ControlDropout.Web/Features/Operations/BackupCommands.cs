using ControlDropout.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ControlDropout.Web.Features.Operations;

/// <summary>
/// <c>backup FILE</c> and <c>restore FILE</c> from the command line, on the configured database. On PostgreSQL the
/// server's own tools do it better than we could: the commands print the <c>pg_dump</c>/<c>pg_restore</c> lines
/// for the configured connection (the password never: it comes from PGPASSWORD or ~/.pgpass).
/// </summary>
public static class BackupCommands
{
    public const int Done = 0;
    public const int Refused = 1;
    public const int Usage = 2;
    /// <summary>Nothing was done: the commands to run were printed (PostgreSQL).</summary>
    public const int NotPerformed = 3;

    public static Task<int> BackupAsync(this WebApplication app, string[] args) =>
        BackupAsync(app.Services, args.ElementAtOrDefault(1), Console.Out, app.Lifetime.ApplicationStopping);

    public static Task<int> RestoreAsync(this WebApplication app, string[] args) =>
        RestoreAsync(app.Services, args.ElementAtOrDefault(1), Console.Out, app.Lifetime.ApplicationStopping);

    public static async Task<int> BackupAsync(IServiceProvider services, string? file, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (string.IsNullOrWhiteSpace(file))
        {
            await output.WriteLineAsync("usage: backup FILE").ConfigureAwait(false);
            return Usage;
        }
        var (sqlite, connection) = Configured(services);
        if (!sqlite)
        {
            await output.WriteLineAsync($"PostgreSQL: back up with the server's tool (nothing was done):\n  {PgDump(connection, file)}").ConfigureAwait(false);
            return NotPerformed;
        }
        var check = await SqliteBackups.BackupAsync(connection, file, ct).ConfigureAwait(false);
        await output.WriteLineAsync(check.Good
            ? $"backup written to {Path.GetFullPath(file)}: integrity ok, audit chain verified ({check.AuditEntries} entries)"
            : $"backup failed: {check.Problem}").ConfigureAwait(false);
        return check.Good ? Done : Refused;
    }

    public static async Task<int> RestoreAsync(IServiceProvider services, string? file, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (string.IsNullOrWhiteSpace(file))
        {
            await output.WriteLineAsync("usage: restore FILE   (stop the service first)").ConfigureAwait(false);
            return Usage;
        }
        var (sqlite, connection) = Configured(services);
        if (!sqlite)
        {
            await output.WriteLineAsync($"PostgreSQL: stop every instance, then restore with the server's tool (nothing was done):\n  {PgRestore(connection, file)}").ConfigureAwait(false);
            return NotPerformed;
        }
        var target = new SqliteConnectionStringBuilder(connection).DataSource;
        await output.WriteLineAsync("restore: the service must be stopped while the database file is replaced.").ConfigureAwait(false);
        var (done, message) = await SqliteBackups.RestoreAsync(file, target, ct).ConfigureAwait(false);
        await output.WriteLineAsync(message).ConfigureAwait(false);
        return done ? Done : Refused;
    }

    /// <summary>The configured provider and its connection string, as the service itself would open it.</summary>
    private static (bool Sqlite, string Connection) Configured(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return (db.Database.IsSqlite(), db.Database.GetConnectionString() ?? "");
    }

    public static string PgDump(string connection, string file) => $"pg_dump -Fc {PgTarget(connection)} -f {Quote(file)}";

    public static string PgRestore(string connection, string file) => $"pg_restore --clean --if-exists --no-owner {PgTarget(connection)} {Quote(file)}";

    private static string PgTarget(string connection)
    {
        var c = new NpgsqlConnectionStringBuilder(connection);
        return $"-h {Quote(c.Host ?? "localhost")} -p {c.Port} -U {Quote(c.Username ?? "postgres")} -d {Quote(c.Database ?? "")}";
    }

    private static string Quote(string value) =>
        value.Length > 0 && value.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' or '_' or '/' or ':') ? value : $"'{value.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
