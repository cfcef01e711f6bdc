namespace ControlDropout.Web.Features.Operations;

/// <summary>The operations a county's IT expects of a system of record: the nightly backup and the retention job.</summary>
public static class OperationsSetup
{
    public static IServiceCollection AddOperations(this IServiceCollection services) =>
        services.AddScoped<Retention>().AddHostedService<RetentionJob>().AddHostedService<NightlyBackup>();
}
