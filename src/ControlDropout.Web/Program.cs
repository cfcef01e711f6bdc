using ControlDropout.Web.Data.Demo;
using ControlDropout.Web.Features.Audit;
using ControlDropout.Web.Features.Auth;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Features.Coverage;
using ControlDropout.Web.Features.Disruptions;
using ControlDropout.Web.Features.Feeds;
using ControlDropout.Web.Features.Health;
using ControlDropout.Web.Features.Imports;
using ControlDropout.Web.Features.Ledger;
using ControlDropout.Web.Features.Operations;
using ControlDropout.Web.Features.People;
using ControlDropout.Web.Features.Plans;
using ControlDropout.Web.Features.Policy;
using ControlDropout.Web.Features.Reports;
using ControlDropout.Web.Features.TeachingFile;
using ControlDropout.Web.Features.Timetables;
using ControlDropout.Web.Features.Visits;
using ControlDropout.Web.Features;
using ControlDropout.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddTelemetry();
builder.AddDatabase();
builder.AddAccess();
builder.AddApiBasics();
builder.AddPages();
builder.AddUseCases();
builder.AddImports();

var app = builder.Build();
// Before migrating: a restore must not touch the database it replaces, and a backup copies it as it is.
if (args is ["backup", ..])
{
    return await app.BackupAsync(args);
}
if (args is ["restore", ..])
{
    return await app.RestoreAsync(args);
}
await app.MigrateAsync();
if (args is ["create-admin", ..])
{
    return await app.CreateAdminAsync(args);
}
if (args is ["bench-seed-feeds", ..])
{
    return await FeedBenchSeeder.RunAsync(app, args);
}
if (args is ["bench-seed-city", ..])
{
    return await CityBenchSeeder.RunAsync(app, args);
}
await app.SeedDemoIfAskedAsync(args);
app.UseApiBasics();

app.MapHealth();
app.MapAuth();
app.MapPeople();
app.MapSchools().MapAccounts();
app.MapChildPath();
app.MapPlans();
app.MapPolicy();
app.MapTerms();
app.MapClosures();
app.MapTimetables();
app.MapLeave();
app.MapFeeds();
app.MapAudit();
app.MapVisits();
app.MapVisitPhotos();
app.MapCoverage();
app.MapLedger();
app.MapReports();
app.MapTeachingFile();
app.MapImports();
app.MapRazorPages();

await app.RunAsync();
return 0;

/// <summary>The web host; public so that tests can start it with WebApplicationFactory.</summary>
public partial class Program;
