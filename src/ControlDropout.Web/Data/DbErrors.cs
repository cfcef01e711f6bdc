using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ControlDropout.Web.Data;

/// <summary>What a failed save means, the same on both providers.</summary>
public static class DbErrors
{
    /// <summary>SQLite's SQLITE_CONSTRAINT (a unique, check or foreign-key constraint).</summary>
    private const int SqliteConstraint = 19;

    /// <summary>PostgreSQL's class 23, integrity constraint violation (23505 unique, 23503 foreign key, …).</summary>
    private const string PostgresConstraintClass = "23";

    /// <summary>
    /// The database refused the save because of a constraint — typically a unique index that let only the first
    /// of two concurrent writers in — rather than failing for some other reason.
    /// </summary>
    public static bool IsConstraintViolation(DbUpdateException e) => e.InnerException switch
    {
        SqliteException { SqliteErrorCode: SqliteConstraint } => true,
        PostgresException p => p.SqlState.StartsWith(PostgresConstraintClass, StringComparison.Ordinal),
        _ => false,
    };
}
