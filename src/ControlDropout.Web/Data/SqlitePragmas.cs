using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace ControlDropout.Web.Data;

/// <summary>
/// Sets the pragmas every connection needs: WAL so that readers never wait for a writer,
/// synchronous=FULL so that a committed approval survives a power cut, and a busy timeout so that
/// two writers queue instead of failing with "database is locked". Once per physical connection: the
/// pool hands the same one out again with its pragmas still set, so a request does not pay for them.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    public const int BusyTimeoutMilliseconds = 5000;

    private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;";

    private static readonly object Set = new();

    /// <summary>The physical connections (SQLite handles) already set; a handle closed for good drops out with it.</summary>
    private readonly ConditionalWeakTable<sqlite3, object> _done = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (Handle(connection) is not { } handle || _done.TryGetValue(handle, out _))
        {
            return;
        }
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
        _done.AddOrUpdate(handle, Set);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (Handle(connection) is not { } handle || _done.TryGetValue(handle, out _))
        {
            return;
        }
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        _done.AddOrUpdate(handle, Set);
    }

    private static sqlite3? Handle(DbConnection connection) => (connection as SqliteConnection)?.Handle;
}
