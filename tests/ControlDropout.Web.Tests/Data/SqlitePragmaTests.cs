using ControlDropout.Web.Data;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Data;

[Trait("Provider", ServiceFactory.SqliteOnly)]
public sealed class SqlitePragmaTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public SqlitePragmaTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task Every_connection_runs_in_WAL_with_full_sync_and_a_busy_timeout()
    {
        _factory.CreateClient().Dispose();
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();

        async Task<string> Pragma(string name)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA {name};";
            return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
        }

        (await Pragma("journal_mode")).Should().Be("wal");
        (await Pragma("synchronous")).Should().Be("2", "2 is FULL");
        (await Pragma("busy_timeout")).Should().Be(SqlitePragmas.BusyTimeoutMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        (await Pragma("foreign_keys")).Should().Be("1");
    }
}
