using ControlDropout.Web.Features.Operations;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.Operations;

/// <summary>On PostgreSQL the commands do nothing but print the server tools' lines for the configured database.</summary>
public sealed class PostgresBackupCommandTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public PostgresBackupCommandTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task On_PostgreSQL_backup_and_restore_print_pg_dump_and_pg_restore_and_change_nothing()
    {
        if (!ServiceFactory.OnPostgres)
        {
            return;
        }
        await _factory.LincangAsync();
        var database = new Npgsql.NpgsqlConnectionStringBuilder(_factory.PostgresConnectionString).Database!;
        var file = Path.Combine(Path.GetTempPath(), $"cd-{Guid.NewGuid():N}.dump");

        using var backup = new StringWriter();
        (await BackupCommands.BackupAsync(_factory.Services, file, backup, CancellationToken.None)).Should().Be(BackupCommands.NotPerformed);
        backup.ToString().Should().Contain("pg_dump -Fc").And.Contain($"-d {database}").And.Contain(file);

        using var restore = new StringWriter();
        (await BackupCommands.RestoreAsync(_factory.Services, file, restore, CancellationToken.None)).Should().Be(BackupCommands.NotPerformed);
        restore.ToString().Should().Contain("pg_restore --clean").And.Contain($"-d {database}");
        File.Exists(file).Should().BeFalse();
    }
}
