using ControlDropout.Web.Data.Demo;
using ControlDropout.Web.Features.Audit;
using ControlDropout.Web.Features.Auth;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Features.Coverage;
using ControlDropout.Web.Features.Disruptions;
using ControlDropout.Web.Features.Feeds;
using ControlDropout.Web.Features.Health;
using ControlDropout.Web.Features.Ledger;
using ControlDropout.Web.Features.People;
using ControlDropout.Web.Features.Plans;
using ControlDropout.Web.Features.Policy;
using ControlDropout.Web.Features.TeachingFile;
using ControlDropout.Web.Features.Timetables;
using ControlDropout.Web.Features.Visits;
using ControlDropout.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddDatabase();
builder.AddAccess();
builder.AddApiBasics();
builder.AddPages();
builder.Services.AddScoped<PlanDecisions>();
builder.Services.AddScoped<PeopleDirectory>();
builder.Services.AddScoped<Enrolment>();
builder.Services.AddScoped<CurrentTerm>();
builder.Services.AddScoped<VisitRecords>();
builder.Services.AddScoped<CoverageReports>();
builder.Services.AddScoped<LedgerExport>();
builder.Services.AddScoped<TeachingFiles>();
builder.Services.AddScoped<AuditQueries>();
builder.Services.AddScoped<CountyPolicies>();
builder.Services.AddSingleton(HolidayCalendar.Shipped());
builder.Services.Configure<SchedulingOptions>(builder.Configuration.GetSection("Scheduling"));
builder.Services.AddSingleton<RunInbox>();
builder.Services.AddSingleton<RunWorker>();
builder.Services.AddHostedService(services => services.GetRequiredService<RunWorker>());
builder.Services.AddScoped<Replanner>();
builder.Services.AddScoped<TimetableRuns>();
builder.Services.AddScoped<TimetableReview>();
builder.Services.AddScoped<TermBook>();
builder.Services.AddScoped<LeaveAndClosures>();
builder.Services.AddScoped<DemoSeeder>();
builder.Services.AddScoped<FeedTokens>();
builder.Services.AddScoped<FeedBuilder>();
builder.Services.AddScoped<FeedSubscriptions>();
builder.Services.AddSingleton<PublicAddress>();
builder.Services.AddSingleton<FeedMissLimiter>();
builder.Services.AddMemoryCache(o => o.SizeLimit = 10_000);

var app = builder.Build();
await app.MigrateAsync();
if (args is ["create-admin", ..])
{
    return await app.CreateAdminAsync(args);
}
if (args is ["bench-seed-feeds", ..])
{
    return await FeedBenchSeeder.RunAsync(app, args);
}
await app.SeedDemoIfAskedAsync(args);
app.UseApiBasics();

app.MapHealth();
app.MapAuth();
app.MapPeople();
app.MapPlans();
app.MapPolicy();
app.MapTerms();
app.MapClosures();
app.MapTimetables();
app.MapLeave();
app.MapFeeds();
app.MapAudit();
app.MapVisits();
app.MapCoverage();
app.MapLedger();
app.MapTeachingFile();
app.MapRazorPages();

await app.RunAsync();
return 0;

/// <summary>The web host; public so that tests can start it with WebApplicationFactory.</summary>
public partial class Program;
