using ControlDropout.Web.Data;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Features.Coverage;
using ControlDropout.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Coverage;

/// <summary>
/// The summary's invariant: for every term of every county, every child × week read from <see cref="CoverageWeek"/> rows
/// at the factory's clock equals what <see cref="TermRecord"/> derives from scratch, and the summary holds no other row.
/// </summary>
public static class SummaryAgreement
{
    public static async Task<List<string>> DisagreementsAsync(ServiceFactory factory, string step)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var holidays = scope.ServiceProvider.GetRequiredService<HolidayCalendar>();
        var now = factory.Clock.GetUtcNow();
        var found = new List<string>();
        foreach (var stored in await db.Terms.AsNoTracking().ToListAsync())
        {
            var term = CoverageReports.Readable(stored);
            var record = await TermRecord.LoadAsync(db, term.CountyCode, term, holidays, now, null, CancellationToken.None);
            var rows = (await db.CoverageWeeks.AsNoTracking().Where(w => w.CountyCode == term.CountyCode && w.TermId == term.Id).ToListAsync())
                .ToDictionary(w => (w.StudentId, w.Week));
            var weeks = CoverageSummary.TermWeeks(term, holidays);
            foreach (var child in record.Children)
            {
                foreach (var week in weeks)
                {
                    var expected = record.Coverage(child, week);
                    if (!rows.Remove((child.Id, week), out var row))
                    {
                        found.Add($"[{step}] summary: no row for child {child.Id.Value} in {week} (term {term.Id.Value})");
                        continue;
                    }
                    var actual = row.Facts.At(now);
                    if (actual.Status != expected.Status || actual.Required != expected.Required || actual.Scheduled != expected.Scheduled
                        || actual.Delivered != expected.Delivered || !actual.StaffIds.SequenceEqual(expected.StaffIds)
                        || row.VillageCode != child.VillageCode || row.SchoolId != child.SchoolOfRecordId)
                    {
                        found.Add($"[{step}] summary: child {child.Id.Value} {week} reads {Say(actual)} in {row.VillageCode}, the term record says {Say(expected)} in {child.VillageCode}");
                    }
                }
            }
            found.AddRange(rows.Keys.Select(k => $"[{step}] summary: a row for child {k.StudentId.Value} in {k.Week} that the term record does not have"));
        }
        return found;
    }

    private static string Say(WeekCoverage c) => $"{c.Status} {c.Delivered}/{c.Scheduled}/{c.Required} staff [{string.Join(",", c.StaffIds)}]";
}
