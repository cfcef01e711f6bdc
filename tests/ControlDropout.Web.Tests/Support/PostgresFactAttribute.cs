namespace ControlDropout.Web.Tests.Support;

/// <summary>
/// A test that needs PostgreSQL itself — two service instances on one database server — and is skipped, saying so,
/// in the SQLite pass (where one file has one writer and the question does not arise the same way).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!ServiceFactory.OnPostgres)
        {
            Skip = $"needs PostgreSQL: set {ServiceFactory.PostgresVariable}";
        }
    }
}
