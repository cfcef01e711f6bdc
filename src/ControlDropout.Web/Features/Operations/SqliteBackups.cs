using ControlDropout.Web.Data;
using ControlDropout.Web.Features.Audit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Operations;

/// <summary>What a check of a database file found: good, or the one reason it is not.</summary>
public sealed record BackupCheck(bool Good, string Problem, long AuditEntries)
{
    public static BackupCheck Bad(string problem) => new(false, problem, 0);
}

/// <summary>
/// Backups and restores of the SQLite database (备份与恢复). A backup is <c>VACUUM INTO</c>: one read transaction,
/// so in WAL mode the service keeps writing while it runs, and the copy is one consistent moment in a single file
/// (no -wal beside it). A file is good only when SQLite finds it intact, it is our database at a schema this build
/// knows, and its audit chain verifies — a backup that would fail a restore is not reported as made.
/// </summary>
public static class SqliteBackups
{
    /// <summary>SQLite's answer to a busy database, and to a locked table.</summary>
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>Suffix of the previous database kept by a restore.</summary>
    public const string BeforeRestoreSuffix = ".before-restore";

    /// <summary>
    /// Writes a consistent copy of the live database at <paramref name="connectionString"/> to <paramref name="target"/>,
    /// checks it, and only then gives it its name. A bad copy is deleted and reported.
    /// </summary>
    public static async Task<BackupCheck> BackupAsync(string connectionString, string target, CancellationToken ct)
    {
        target = Path.GetFullPath(target);
        if (File.Exists(target))
        {
            return BackupCheck.Bad($"{target} exists already; a backup never overwrites a file");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = target + ".partial";
        File.Delete(temp);
        try
        {
            await using (var connection = new SqliteConnection(connectionString))
            {
                await connection.OpenAsync(ct).ConfigureAwait(false);
                await VacuumIntoAsync(connection, temp, ct).ConfigureAwait(false);
            }
            var check = await CheckAsync(temp, ct).ConfigureAwait(false);
            if (check.Good)
            {
                File.Move(temp, target, overwrite: false);
            }
            return check;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// Whether <paramref name="file"/> may be restored: SQLite's <c>integrity_check</c> says ok, it has our
    /// migrations history and none this build does not know (a newer schema), and the audit chain verifies.
    /// Opened read-only; nothing in the file is changed.
    /// </summary>
    public static async Task<BackupCheck> CheckAsync(string file, CancellationToken ct)
    {
        if (!File.Exists(file))
        {
            return BackupCheck.Bad($"{file} does not exist");
        }
        try
        {
            await using var connection = new SqliteConnection(ReadOnly(file));
            await connection.OpenAsync(ct).ConfigureAwait(false);
            await using (var integrity = connection.CreateCommand())
            {
                integrity.CommandText = "PRAGMA integrity_check";
                var findings = new List<string>();
                await using var reader = await integrity.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    findings.Add(reader.GetString(0));
                }
                if (findings is not ["ok"])
                {
                    return BackupCheck.Bad("SQLite integrity_check failed: " + string.Join("; ", findings.Take(3)));
                }
            }
            await using var db = new AppDbContext(new DbContextOptionsBuilder<AppDbContext>().UseSqlite(connection).Options);
            var applied = (await db.Database.GetAppliedMigrationsAsync(ct).ConfigureAwait(false)).ToList();
            if (applied.Count == 0)
            {
                return BackupCheck.Bad("not a ControlDropout database (no migrations history)");
            }
            var unknown = applied.Except(db.Database.GetMigrations(), StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                return BackupCheck.Bad($"made by a newer version of the service (schema {unknown[^1]}); upgrade the service first");
            }
            var chain = await AuditQueries.VerifyChainAsync(db, ct).ConfigureAwait(false);
            return chain.Intact
                ? new BackupCheck(true, "", chain.Entries)
                : BackupCheck.Bad($"the audit chain is broken at entry {chain.FirstBrokenId}");
        }
        catch (SqliteException e)
        {
            // Not a database, or one too damaged to open: SQLite's own words (no data of the file is in them).
            return BackupCheck.Bad($"not a readable SQLite database ({e.Message})");
        }
    }

    /// <summary>
    /// Replaces the database file <paramref name="target"/> with the checked <paramref name="source"/>: the copy is
    /// written next to the target and renamed over it (atomic on one file system), the previous file kept as
    /// <c>*.before-restore</c>. Refuses, changing nothing, a file that fails <see cref="CheckAsync"/> or a target
    /// another process is using. The service must be stopped first: one that runs would keep its old file open.
    /// </summary>
    public static async Task<(bool Done, string Message)> RestoreAsync(string source, string target, CancellationToken ct)
    {
        source = Path.GetFullPath(source);
        target = Path.GetFullPath(target);
        if (source == target)
        {
            return (false, "the backup is the configured database itself");
        }
        var check = await CheckAsync(source, ct).ConfigureAwait(false);
        if (!check.Good)
        {
            return (false, $"refused: {check.Problem}. Nothing was changed.");
        }
        if (File.Exists(target) && await InUseAsync(target, ct).ConfigureAwait(false))
        {
            return (false, "refused: the database is in use (locked by another process). Stop the service first. Nothing was changed.");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = target + ".restoring";
        File.Delete(temp);
        try
        {
            await using (var connection = new SqliteConnection(ReadOnly(source)))
            {
                await connection.OpenAsync(ct).ConfigureAwait(false);
                await VacuumIntoAsync(connection, temp, ct).ConfigureAwait(false);
            }
            if (!(await CheckAsync(temp, ct).ConfigureAwait(false)).Good)
            {
                return (false, "refused: the copy written next to the database did not check out (disk full?). Nothing was changed.");
            }
            SqliteConnection.ClearAllPools();
            if (!File.Exists(target))
            {
                File.Move(temp, target);
                return (true, $"restored {source} into {target} ({check.AuditEntries} audit entries, chain verified)");
            }
            var kept = target + BeforeRestoreSuffix;
            if (File.Exists(kept))
            {
                kept = $"{kept}-{DateTime.UtcNow:yyyyMMddHHmmss}";
            }
            File.Replace(temp, target, kept, ignoreMetadataErrors: true);
            // The previous file's write-ahead log belongs to it, not to the restored file: it goes with the kept copy.
            foreach (var suffix in new[] { "-wal", "-journal" })
            {
                if (File.Exists(target + suffix))
                {
                    File.Move(target + suffix, kept + suffix, overwrite: true);
                }
            }
            File.Delete(target + "-shm");
            return (true, $"restored {source} into {target} ({check.AuditEntries} audit entries, chain verified); the previous database is kept as {kept}");
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// Whether another process holds the database: an exclusive lock cannot be had at once. Folds the previous
    /// file's log into it on the way, so that the kept copy is whole by itself. A service that is idle holds no lock
    /// and is not seen: hence the message to stop it first.
    /// </summary>
    private static async Task<bool> InUseAsync(string file, CancellationToken ct)
    {
        try
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, DefaultTimeout = 1 }.ToString());
            await connection.OpenAsync(ct).ConfigureAwait(false);
            foreach (var statement in new[] { "BEGIN EXCLUSIVE", "ROLLBACK" })
            {
                await using var command = connection.CreateCommand();
                command.CommandText = statement;
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            // In WAL mode a writer elsewhere shows here too: the checkpoint answers "busy" (its first column) instead of failing.
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await using var reader = await checkpoint.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false) && reader.GetInt32(0) != 0;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SqliteBusy or SqliteLocked)
        {
            return true;
        }
        catch (SqliteException)
        {
            // The current file is damaged (often why one restores): nobody can be using it well; its files are kept as they are.
            return false;
        }
    }

    private static async Task VacuumIntoAsync(SqliteConnection connection, string target, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "VACUUM INTO $target";
        command.Parameters.AddWithValue("$target", target);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static string ReadOnly(string file) =>
        new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
}
