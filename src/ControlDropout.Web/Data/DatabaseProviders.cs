namespace ControlDropout.Web.Data;

/// <summary>The values <c>Database:Provider</c> takes.</summary>
public static class DatabaseProviders
{
    public const string Sqlite = "Sqlite";

    /// <summary>Also the name of its connection string (<c>ConnectionStrings:PostgreSQL</c>).</summary>
    public const string PostgreSql = "PostgreSQL";
}
