using System.Globalization;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Visits;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Operations;

/// <summary>
/// Retention under PIPL (个人信息保护法 §19, 保存期限): the personal data of a child who left the roster more than
/// <c>Retention:Years</c> (default 5, 1–30) years ago is anonymised. What stays is what the ledgers of past terms
/// count (sessions, records, plans — none keeps a name), so a past term's ledger keeps its numbers. Each child
/// is one transaction with one <c>anonymised</c> event on the audit trail, which never held the values cleared.
/// A child already anonymised is not touched again.
/// </summary>
public sealed class Retention(AppDbContext db, VisitPhotos photos, IConfiguration configuration, TimeProvider clock)
{
    public const int DefaultYears = 5;
    public const int MinYears = 1;
    public const int MaxYears = 30;
    public const string AnonymousName = "已匿名";
    public const string EventAction = "anonymised";

    /// <summary>The kept period in years, from configuration; out of 1–30 is a configuration error, not a silent default.</summary>
    public int Years
    {
        get
        {
            var years = configuration.GetValue("Retention:Years", DefaultYears);
            return years is >= MinYears and <= MaxYears
                ? years
                : throw new InvalidOperationException($"Retention:Years must be {MinYears}–{MaxYears}, not {years}.");
        }
    }

    /// <summary>Anonymises every child past the period, in every county; returns how many were anonymised now.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var years = Years;
        var cutoff = Conventions.ChinaDay(clock.GetUtcNow()).AddYears(-years);
        var due = await db.Students.AsNoTracking()
            .Where(s => s.Status == StudentStatus.Left && s.LeftOn != null && s.LeftOn < cutoff && s.Name != AnonymousName)
            .Select(s => s.Id).ToListAsync(ct).ConfigureAwait(false);
        foreach (var id in due)
        {
            await AnonymiseAsync(id, years, ct).ConfigureAwait(false);
        }
        return due.Count;
    }

    private async Task AnonymiseAsync(StudentId id, int years, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var child = await db.Students.Include(s => s.Assessments).SingleAsync(s => s.Id == id, ct).ConfigureAwait(false);
        child.Name = AnonymousName;
        child.IdCardNo = "";
        child.DisabilityCertificateNo = "";
        child.NationalStudentNo = "";
        child.Guardians = [];
        // The village stays (the ledger groups by it); the home's position is the address detail.
        child.HomeLat = 0;
        child.HomeLon = 0;
        child.BirthDate = new DateOnly(child.BirthDate.Year, 1, 1);
        var documents = child.Assessments.Where(a => a.ReportDocumentId is not null).Select(a => a.ReportDocumentId!.Value).ToList();
        foreach (var assessment in child.Assessments)
        {
            assessment.ReportDocumentId = null;
            assessment.Note = "";
        }
        await db.Documents.Where(d => documents.Contains(d.Id) && d.CountyCode == child.CountyCode).ForEachAsync(d => db.Documents.Remove(d), ct).ConfigureAwait(false);
        // The records keep what was taught and when (the ledger counts them); the guardian's name and signature go.
        await db.Visits.Where(v => v.StudentId == id && (v.GuardianName != "" || v.SignatureSvg != null)).ForEachAsync(v =>
        {
            v.GuardianName = "";
            v.SignatureSvg = null;
        }, ct).ConfigureAwait(false);
        var childPhotos = await db.VisitPhotos.Where(p => p.StudentId == id).ToListAsync(ct).ConfigureAwait(false);
        db.VisitPhotos.RemoveRange(childPhotos);
        foreach (var notice in await db.TransferNotices.Where(n => n.FromStudentId == id).ToListAsync(ct).ConfigureAwait(false))
        {
            // Init-only on the type (a notice is not edited by people); erased here through the change tracker.
            var entry = db.Entry(notice);
            entry.Property(n => n.StudentName).CurrentValue = AnonymousName;
            entry.Property(n => n.BirthDate).CurrentValue = new DateOnly(notice.BirthDate.Year, 1, 1);
            entry.Property(n => n.Note).CurrentValue = "";
        }
        await db.SaveChangesWithEventAsync(EventAction, nameof(Student), id.Value.ToString(), string.Create(CultureInfo.InvariantCulture, $"retention: left more than {years} years ago"),
            child.CountyCode, ct).ConfigureAwait(false);
        // The photo files after the commit (a crash in between leaves an orphan file, never a row without its file);
        // content-addressed, so a file another photo row still names stays.
        foreach (var sha in childPhotos.Select(p => p.Sha256).Distinct(StringComparer.Ordinal))
        {
            if (!await db.VisitPhotos.AnyAsync(p => p.Sha256 == sha, ct).ConfigureAwait(false))
            {
                File.Delete(photos.PathOf(sha));
            }
        }
    }
}

/// <summary>Runs <see cref="Retention"/> once a day at <c>Retention:At</c> (China time, default 03:00), on either provider.</summary>
public sealed partial class RetentionJob(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock, ILogger<RetentionJob> logger) : BackgroundService
{
    public static readonly TimeOnly DefaultAt = new(3, 0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var at = DailyAt.Parse(configuration["Retention:At"], DefaultAt);
        try
        {
            await at.RunAsync(clock, RunOnceAsync, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The service is stopping.
        }
    }

    private async Task RunOnceAsync(DateTimeOffset due, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var count = await scope.ServiceProvider.GetRequiredService<Retention>().RunAsync(ct).ConfigureAwait(false);
            Anonymised(logger, count);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or IOException)
        {
            // Tomorrow's run tries again; what was committed stays (each child is its own transaction).
            Failed(logger, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "retention: {Count} children anonymised")]
    private static partial void Anonymised(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "retention run failed ({Error}); it runs again tomorrow")]
    private static partial void Failed(ILogger logger, string error);
}
