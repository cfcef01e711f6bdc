using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace ControlDropout.Web.Data;

/// <summary>
/// The one write lock that serialises appends to the audit chain (and anything that numbers in sequence, such
/// as an approval's 审批文号). SQLite has one writer by design: a transaction begun IMMEDIATE takes its write lock
/// first. PostgreSQL lets writers run side by side, so the chain's append takes a transaction-scoped advisory
/// lock before it reads the chain's head; it is released at commit or rollback, never forgotten.
/// </summary>
public static class WriteLock
{
    /// <summary>The advisory lock's key ("CDaudit" in ASCII): one key for the whole chain, which is one chain for all counties.</summary>
    public const long AuditChainKey = 0x0043_4461_7564_6974;

    /// <summary>Begins a transaction holding the write lock.</summary>
    public static async Task<IDbContextTransaction> BeginAsync(DatabaseFacade database, CancellationToken ct)
    {
        // Microsoft.Data.Sqlite begins a transaction IMMEDIATE unless asked for a deferred one: the write lock first.
        var transaction = await database.BeginTransactionAsync(ct).ConfigureAwait(false);
        await TakeAsync(database, ct).ConfigureAwait(false);
        return transaction;
    }

    /// <summary>
    /// Takes the lock inside the transaction already open (PostgreSQL; re-entrant within one transaction). On
    /// SQLite an open write transaction already holds it.
    /// </summary>
    public static async Task TakeAsync(DatabaseFacade database, CancellationToken ct)
    {
        if (database.IsNpgsql())
        {
            await database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({AuditChainKey})", ct).ConfigureAwait(false);
        }
    }
}
