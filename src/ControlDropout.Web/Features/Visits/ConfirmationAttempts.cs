using System.Globalization;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Visits;

/// <summary>
/// Wrong 确认码 per child and Beijing day (the code is the child's, so every session of the child shares the
/// budget), counted in the database, so that every instance of the service shares one budget and a restart
/// forgets nothing. Four digits are ten thousand guesses: after <see cref="Limit"/> wrong ones for a child in a
/// day, the code is not tried again that day — the family can still sign instead.
/// </summary>
public sealed class ConfirmationAttempts(IServiceScopeFactory scopes)
{
    public const int Limit = 5;

    private static string Key(string county, StudentId child, DateOnly day) =>
        string.Create(CultureInfo.InvariantCulture, $"{county}/{child.Value:N}/{day:yyyyMMdd}");

    public async Task<bool> ExhaustedAsync(string county, StudentId child, DateOnly day, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var key = Key(county, child, day);
        return await db.ConfirmationMisses.AnyAsync(m => m.Key == key && m.Count >= Limit, ct).ConfigureAwait(false);
    }

    /// <summary>Counts one wrong code: one statement on both databases, so two instances counting at once lose neither.</summary>
    public async Task WrongAsync(string county, StudentId child, DateOnly day, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // Yesterday's counts no longer matter: drop them, so that the table stays small.
        await db.ConfirmationMisses.Where(m => m.Day < day).ExecuteDeleteAsync(ct).ConfigureAwait(false);
        var key = Key(county, child, day);
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "ConfirmationMisses" ("Key", "Day", "Count") VALUES ({key}, {day}, 1)
            ON CONFLICT ("Key") DO UPDATE SET "Count" = "ConfirmationMisses"."Count" + 1
            """, ct).ConfigureAwait(false);
    }
}
