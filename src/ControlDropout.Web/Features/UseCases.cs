using ControlDropout.Web.Data.Demo;
using ControlDropout.Web.Features.Audit;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Features.Coverage;
using ControlDropout.Web.Features.Disruptions;
using ControlDropout.Web.Features.Feeds;
using ControlDropout.Web.Features.Ledger;
using ControlDropout.Web.Features.People;
using ControlDropout.Web.Features.Plans;
using ControlDropout.Web.Features.Policy;
using ControlDropout.Web.Features.TeachingFile;
using ControlDropout.Web.Features.Timetables;
using ControlDropout.Web.Features.Visits;

namespace ControlDropout.Web.Features;

/// <summary>
/// Every feature's use cases — the one door that endpoints and pages share — and the services
/// behind them, one block per feature.
/// </summary>
public static class UseCases
{
    public static WebApplicationBuilder AddUseCases(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<CurrentTerm>().AddScoped<TermBook>().AddSingleton(HolidayCalendar.Shipped());
        services.AddScoped<PeopleDirectory>().AddScoped<Enrolment>();
        services.AddScoped<Schools>().AddScoped<Auth.Accounts>();
        services.AddScoped<ChildPath>();
        services.AddScoped<AssessmentReports>();
        services.AddScoped<PlanDecisions>();
        services.AddScoped<CountyPolicies>();
        services.Configure<SchedulingOptions>(builder.Configuration.GetSection("Scheduling"));
        services.AddScoped<TimetableRuns>().AddScoped<TimetableReview>().AddScoped<DraftReport>().AddSingleton<RunInbox>().AddSingleton<RunWorker>()
            .AddHostedService(s => s.GetRequiredService<RunWorker>());
        services.AddScoped<SessionLinks>().AddScoped<TimetableTables>();
        services.AddScoped<FamilyCards>();
        services.AddScoped<LeaveAndClosures>().AddScoped<Replanner>();
        services.AddScoped<FeedSubscriptions>().AddScoped<FeedTokens>().AddScoped<FeedBuilder>().AddScoped<StoredFeeds>().AddSingleton<FeedMetrics>()
            .AddSingleton<PublicAddress>().AddSingleton<FeedMissLimiter>().AddMemoryCache(o => o.SizeLimit = 10_000);
        services.AddScoped<VisitRecords>().AddScoped<VisitPhotos>().AddScoped<ConfirmationCodes>().AddSingleton<ConfirmationAttempts>();
        services.AddScoped<CoverageReports>().AddSingleton<SummaryCache>();
        services.AddScoped<Reports.Reports>();
        services.AddScoped<LedgerExport>().AddScoped<TeachingFiles>();
        services.AddScoped<AuditQueries>();
        services.AddScoped<DemoSeeder>();
        Operations.OperationsSetup.AddOperations(services);
        return builder;
    }
}
