using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using ControlDropout.Web.Data;
using ControlDropout.Web.Features.Audit;
using ControlDropout.Web.Features.Operations;
using ControlDropout.Web.Tests.Features.Visits;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Operations;

/// <summary>Backup and restore of the SQLite database: a backup of a service being written to, and what a restore refuses.</summary>
[Trait("Provider", ServiceFactory.SqliteOnly)]
public sealed class BackupRestoreTests : IClassFixture<ServiceFactory>, IDisposable
{
    private readonly ServiceFactory _factory;
    private readonly string _folder = Directory.CreateTempSubdirectory("controldropout-backup-tests-").FullName;

    public BackupRestoreTests(ServiceFactory factory) => _factory = factory;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private string InFolder(string name) => Path.Combine(_folder, name);

    /// <summary>A good backup of the test service's database, made through the command.</summary>
    private async Task<string> BackupAsync(string name)
    {
        await _factory.LincangAsync();
        var file = InFolder(name);
        using var output = new StringWriter();
        (await BackupCommands.BackupAsync(_factory.Services, file, output, CancellationToken.None)).Should().Be(BackupCommands.Done, output.ToString());
        output.ToString().Should().Contain("audit chain verified");
        return file;
    }

    private static AppDbContext Open(string file) =>
        new(new DbContextOptionsBuilder<AppDbContext>().UseSqlite(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString()).Options);

    private static string Sha(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));

    [Fact]
    public async Task A_backup_taken_while_records_are_written_restores_every_acknowledged_record_with_a_verified_chain()
    {
        var records = await RecordsCounty.SeedAsync(_factory);
        var county = records.County;
        var sessions = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            sessions.Add(await VisitSeeds.AddSessionAsync(county, records.Ours, new DateOnly(2026, 9, 7), county.Teacher));
        }
        var teacher = await county.As("teacher");
        var acknowledged = new ConcurrentQueue<Guid>();
        var writer = Task.Run(async () =>
        {
            foreach (var key in sessions)
            {
                var response = await teacher.PostAsJsonAsync("/api/visits", new
                {
                    sessionKey = key, date = "2026-09-07", start = "09:00", end = "10:20", staffPresent = new[] { county.Teacher.Value }, place = "Home",
                    content = "练习抓握", goalsAddressed = new[] { "能独立抓握勺子" },
                });
                response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
                acknowledged.Enqueue((await response.ReadJsonAsync()).GetProperty("id").GetGuid());
            }
        });
        while (acknowledged.Count < 5 && !writer.IsCompleted)
        {
            await Task.Delay(20);
        }
        var before = acknowledged.ToList();
        var backup = await BackupAsync("during-writes.db");
        await writer;
        acknowledged.Should().HaveCount(sessions.Count);

        var restored = InFolder("restored.db");
        var (done, message) = await SqliteBackups.RestoreAsync(backup, restored, CancellationToken.None);
        done.Should().BeTrue(message);
        await using (var db = Open(restored))
        {
            var stored = await db.Visits.Select(v => v.Id).ToListAsync();
            stored.Should().Contain(before, "every record acknowledged before the backup began is in it");
            (await AuditQueries.VerifyChainAsync(db, CancellationToken.None)).Intact.Should().BeTrue();
        }

        // Restoring again over it keeps the previous file beside it.
        var (again, _) = await SqliteBackups.RestoreAsync(backup, restored, CancellationToken.None);
        again.Should().BeTrue();
        File.Exists(restored + SqliteBackups.BeforeRestoreSuffix).Should().BeTrue();
    }

    [Fact]
    public async Task A_backup_with_flipped_bytes_is_refused_and_nothing_is_changed()
    {
        var backup = await BackupAsync("good.db");
        var corrupt = InFolder("corrupt.db");
        var bytes = await File.ReadAllBytesAsync(backup);
        var pageSize = bytes[16] << 8 | bytes[17];
        // Every b-tree page's header after the first: a page type that does not exist.
        for (var page = pageSize; page + 8 < bytes.Length; page += pageSize)
        {
            for (var i = 0; i < 8; i++)
            {
                bytes[page + i] ^= 0xA5;
            }
        }
        await File.WriteAllBytesAsync(corrupt, bytes);
        var target = InFolder("current.db");
        File.Copy(backup, target);
        var shaBefore = Sha(target);

        var (done, message) = await SqliteBackups.RestoreAsync(corrupt, target, CancellationToken.None);

        done.Should().BeFalse();
        message.Should().Contain("refused");
        Sha(target).Should().Be(shaBefore);
        File.Exists(target + SqliteBackups.BeforeRestoreSuffix).Should().BeFalse();
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_refused()
    {
        var text = InFolder("notes.db");
        await File.WriteAllTextAsync(text, "这不是数据库 — just some text that is long enough to be more than a header of a database file.");
        var (done, message) = await SqliteBackups.RestoreAsync(text, InFolder("current.db"), CancellationToken.None);
        done.Should().BeFalse();
        message.Should().Contain("not a readable SQLite database");
        File.Exists(InFolder("current.db")).Should().BeFalse();
    }

    [Fact]
    public async Task A_database_of_another_program_is_refused()
    {
        var other = InFolder("other.db");
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = other, Pooling = false }.ToString()))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE things (id INTEGER PRIMARY KEY); INSERT INTO things VALUES (1);";
            await command.ExecuteNonQueryAsync();
        }
        (await SqliteBackups.CheckAsync(other, CancellationToken.None)).Problem.Should().Contain("no migrations history");
    }

    [Fact]
    public async Task A_backup_from_a_newer_schema_or_with_a_broken_chain_is_refused()
    {
        var backup = await BackupAsync("base.db");
        async Task<BackupCheck> Changed(string name, string sql)
        {
            var copy = InFolder(name);
            File.Copy(backup, copy);
            await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString()))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = sql;
                await command.ExecuteNonQueryAsync();
            }
            return await SqliteBackups.CheckAsync(copy, CancellationToken.None);
        }

        (await SqliteBackups.CheckAsync(backup, CancellationToken.None)).Good.Should().BeTrue();
        (await Changed("newer.db", "INSERT INTO __EFMigrationsHistory VALUES ('29991231000000_FromTheFuture', '99.0.0')")).Problem.Should().Contain("newer version");
        (await Changed("tampered.db", "UPDATE Audit SET Summary = Summary || ' ' WHERE Id = (SELECT MIN(Id) FROM Audit)")).Problem.Should().Contain("audit chain is broken");
    }

    [Fact]
    public async Task A_restore_over_a_database_in_use_is_refused()
    {
        var backup = await BackupAsync("for-busy.db");
        var target = InFolder("busy.db");
        File.Copy(backup, target);
        await using var holder = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString());
        await holder.OpenAsync();
        await using var lockIt = holder.CreateCommand();
        lockIt.CommandText = "BEGIN EXCLUSIVE";
        await lockIt.ExecuteNonQueryAsync();

        var (done, message) = await SqliteBackups.RestoreAsync(backup, target, CancellationToken.None);

        done.Should().BeFalse();
        message.Should().Contain("in use");
    }
}
