using System.Net.Http.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Features.Coverage;
using ControlDropout.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Reports;

/// <summary>What the report tests set up: where a child lives, which school it belongs to, and visits recorded through the API.</summary>
public static class ReportFacts
{
    /// <summary>Moves a child to another village and 残疾类别 (the schedulable children all share one).</summary>
    public static async Task MoveAsync(TestCounty county, StudentId child, string villageCode, DisabilityCategory category)
    {
        using var scope = county.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var student = await db.Students.SingleAsync(s => s.Id == child);
        student.VillageCode = villageCode;
        student.DisabilityCategory = category;
        await db.SaveChangesAsync();
    }

    /// <summary>A second school of the county, and the given children moved to it (the school of record is what scopes a coordinator).</summary>
    public static async Task<SchoolId> SecondSchoolAsync(TestCounty county, params StudentId[] children)
    {
        using var scope = county.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var school = new School { Id = SchoolId.New(), CountyCode = county.Code, TownshipCode = county.Code + "102", Name = "南美乡中心学校", Kind = SchoolKind.Regular };
        db.Schools.Add(school);
        foreach (var child in children)
        {
            (await db.Students.SingleAsync(s => s.Id == child)).SchoolOfRecordId = school.Id;
        }
        await db.SaveChangesAsync();
        return school.Id;
    }

    /// <summary>Records a session as delivered (its own times, the team present) or missed, as the coordinator, at the fake clock's time.</summary>
    public static async Task RecordAsync(TestCounty county, TimetableSession session, bool missed)
    {
        var coordinator = await county.As("coordinator");
        object visit = missed
            ? new { sessionKey = session.SessionKey, date = session.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), start = Time(session.Start), end = Time(session.End), place = "Home", missed = true, missedReason = "孩子住院" }
            : new
            {
                sessionKey = session.SessionKey, date = session.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), start = Time(session.Start), end = Time(session.End),
                staffPresent = session.StaffIds.ToArray(), place = "Home", content = "抓握练习", goalsAddressed = new[] { "抓握" }, guardianName = "周某",
            };
        await TermFacts.RecordAsync(county, coordinator, visit, session.SessionKey, missed);
    }

    /// <summary>When a session ends, as an instant.</summary>
    public static DateTimeOffset EndOf(TimetableSession session) => new(session.Date.ToDateTime(session.End), TimeSpan.FromHours(8));

    private static string Time(TimeOnly t) => t.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<HttpResponseMessage> GetAsync(TestCounty county, string role, string path) =>
        await (await county.As(role)).GetAsync(new Uri(path, UriKind.Relative));

    public static async Task<T> ReadAsync<T>(TestCounty county, string role, string path) =>
        (await (await county.As(role)).GetFromJsonAsync<T>(new Uri(path, UriKind.Relative)))!;
}
