using System.Globalization;
using System.Text;
using ControlDropout.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Support;

/// <summary>
/// A cheap fingerprint of every table of the app's SQLite file: per table its row count and an
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
        using (var scope = services.CreateScope())
        {
            connectionString = scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.GetConnectionString()!;
        }
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        var names = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
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
                    var value = reader.GetValue(i);
                    row.Append(value is byte[] bytes ? Convert.ToBase64String(bytes) : Convert.ToString(value, CultureInfo.InvariantCulture)).Append('\u001f');
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
