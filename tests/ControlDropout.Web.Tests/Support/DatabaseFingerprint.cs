using System.Globalization;
using System.Text;
using ControlDropout.Web.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ControlDropout.Web.Tests.Support;

/// <summary>
/// A cheap fingerprint of every table of the app's database (SQLite or PostgreSQL): per table its row count and an
/// order-independent sum of a hash of each row's values. Two equal fingerprints mean nothing was
/// written; <see cref="Difference"/> names the tables that changed.
/// </summary>
public sealed record DatabaseFingerprint(IReadOnlyDictionary<string, (long Rows, ulong Hash)> Tables)
{
    /// <summary>Tables a read may legitimately write to and that say nothing about the records: none so far.</summary>
    public static readonly HashSet<string> Ignored = new(StringComparer.Ordinal) { "__EFMigrationsHistory" };

    public static async Task<DatabaseFingerprint> TakeAsync(IServiceProvider services)
    {
        string connectionString;
        bool postgres;
        using (var scope = services.CreateScope())
        {
            var database = scope.ServiceProvider.GetRequiredService<AppDbContext>().Database;
            connectionString = database.GetConnectionString()!;
            postgres = database.IsNpgsql();
        }
        // A connection of its own, outside EF, so that taking the fingerprint cannot touch the app's change tracking.
        await using DbConnection connection = postgres ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        var names = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            // The app's own tables: SQLite's internal ones and PostgreSQL's catalogues are not the records.
            list.CommandText = postgres
                ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
                : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                names.Add(reader.GetString(0));
            }
        }
        var tables = new SortedDictionary<string, (long, ulong)>(StringComparer.Ordinal);
        foreach (var name in names.Where(n => !Ignored.Contains(n)))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{name}\"";
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            long rows = 0;
            ulong sum = 0;
            var row = new StringBuilder();
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                row.Clear();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    row.Append(Text(reader.GetValue(i))).Append('\u001f');
                }
                rows++;
                sum = unchecked(sum + Fnv(row.ToString()));
            }
            tables[name] = (rows, sum);
        }
        return new DatabaseFingerprint(tables);
    }

    /// <summary>The tables whose rows differ, with their row counts before → after; empty when nothing changed.</summary>
    public string Difference(DatabaseFingerprint after)
    {
        var changed = Tables.Keys.Union(after.Tables.Keys)
            .Where(t => !Tables.TryGetValue(t, out var a) || !after.Tables.TryGetValue(t, out var b) || a != b)
            .Select(t => $"{t} ({(Tables.TryGetValue(t, out var a) ? a.Rows : 0)} → {(after.Tables.TryGetValue(t, out var b) ? b.Rows : 0)} rows)");
        return string.Join(", ", changed);
    }

    /// <summary>A value as text; PostgreSQL hands primitive collections back as arrays, which must hash by their elements.</summary>
    private static string? Text(object value) => value switch
    {
        byte[] bytes => Convert.ToBase64String(bytes),
        string text => text,
        System.Collections.IEnumerable items => "[" + string.Join(",", items.Cast<object?>().Select(i => i is null ? "" : Text(i))) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static ulong Fnv(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 1099511628211UL);
        }
        return hash;
    }
}
