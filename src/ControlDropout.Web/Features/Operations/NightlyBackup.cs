using System.Globalization;
using System.Text.RegularExpressions;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Operations;

/// <summary>
/// The nightly backup (每日备份) of a SQLite county: at <c>Backup:At</c> (China time, default 02:00) a checked copy
/// to <c>Backup:Folder/controldropout-YYYYMMDD-HHmm.db</c>, and only the newest <c>Backup:Keep</c> (default 14) of
/// the files it names so are kept — nothing else in the folder is touched. Off without <c>Backup:Folder</c>, and on
/// PostgreSQL (the server's own dumps are the way there).
/// </summary>
public sealed partial class NightlyBackup(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock, ILogger<NightlyBackup> logger) : BackgroundService
{
    public const int DefaultKeep = 14;
    public static readonly TimeOnly DefaultAt = new(2, 0);
    public const string FilePrefix = "controldropout-";

    [GeneratedRegex(@"^controldropout-\d{8}-\d{4}\.db$", RegexOptions.CultureInvariant)]
    private static partial Regex OurFile();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (configuration["Backup:Folder"] is not { Length: > 0 } folder)
        {
            return;
        }
        var keep = Math.Max(1, configuration.GetValue("Backup:Keep", DefaultKeep));
        string connection;
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            if (!db.Database.IsSqlite())
            {
                NotOnPostgres(logger);
                return;
            }
            connection = db.Database.GetConnectionString()!;
        }
        var at = DailyAt.Parse(configuration["Backup:At"], DefaultAt);
        try
        {
            await at.RunAsync(clock, (due, ct) => BackUpAsync(connection, folder, keep, due, ct), stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The service is stopping.
        }
    }

    /// <summary>One night's backup, then the old ones beyond the kept count.</summary>
    public async Task BackUpAsync(string connection, string folder, int keep, DateTimeOffset due, CancellationToken ct)
    {
        var name = FilePrefix + Conventions.InChina(due).ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture) + ".db";
        var target = Path.Combine(folder, name);
        try
        {
            var check = await SqliteBackups.BackupAsync(connection, target, ct).ConfigureAwait(false);
            if (!check.Good)
            {
                BackupFailed(logger, name, check.Problem);
                return;
            }
            BackupWritten(logger, name, check.AuditEntries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            BackupFailed(logger, name, e.Message);
            return;
        }
        // Only after a good backup: a night that failed never costs an older good one.
        foreach (var old in Directory.EnumerateFiles(folder).Select(Path.GetFileName).Where(f => f is not null && OurFile().IsMatch(f))
                     .OrderByDescending(f => f, StringComparer.Ordinal).Skip(keep))
        {
            File.Delete(Path.Combine(folder, old!));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "nightly backup {File}: written and verified ({AuditEntries} audit entries)")]
    private static partial void BackupWritten(ILogger logger, string file, long auditEntries);

    [LoggerMessage(Level = LogLevel.Error, Message = "nightly backup {File} failed: {Problem}")]
    private static partial void BackupFailed(ILogger logger, string file, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Backup:Folder is set, but the database is PostgreSQL: back it up with pg_dump (see the README); no nightly backup is made")]
    private static partial void NotOnPostgres(ILogger logger);
}
