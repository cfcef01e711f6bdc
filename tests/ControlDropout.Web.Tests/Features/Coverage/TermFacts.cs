using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Coverage;

/// <summary>What the reading tests (coverage, ledger, teaching file) set up and read, stated once.</summary>
public static class TermFacts
{
    /// <summary>Records a visit through the API: the visit door marks its session delivered or missed (issue 12 §3).</summary>
    public static async Task RecordAsync(TestCounty county, HttpClient recorder, object visit, string sessionKey, bool missed)
    {
        var stored = await recorder.PostAsJsonAsync("/api/visits", visit);
        if (!stored.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"the visit was refused: {(int)stored.StatusCode} {await stored.Content.ReadAsStringAsync()}");
        }
        var expected = missed ? SessionStatus.Missed : SessionStatus.Delivered;
        if ((await SessionsAsync(county, await StudentOfAsync(county, sessionKey))).Where(s => s.SessionKey == sessionKey).Any(s => s.Status != expected))
        {
            throw new InvalidOperationException($"the stored visit did not make session {sessionKey} {expected}");
        }
    }

    private static async Task<StudentId> StudentOfAsync(TestCounty county, string sessionKey)
    {
        using var scope = county.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return (await db.Sessions.AsNoTracking().FirstAsync(s => s.SessionKey == sessionKey)).StudentId;
    }

    /// <summary>Sets the day a child's plan took effect, as an approval on that day does.</summary>
    public static async Task TakesEffectAsync(TestCounty county, StudentId child, DateOnly from)
    {
        using var scope = county.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var plan = await db.Plans.SingleAsync(p => p.StudentId == child && p.TermId == county.Term);
        plan.EffectiveFrom = from;
        await db.SaveChangesAsync();
    }

    /// <summary>Gives a child a name of its own (the schedulable children all share one), to find its ledger row.</summary>
    public static async Task NameAsync(TestCounty county, StudentId child, string name)
    {
        using var scope = county.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        (await db.Students.SingleAsync(s => s.Id == child)).Name = name;
        await db.SaveChangesAsync();
    }

    /// <summary>The child's sessions in the county's published timetables, as stored.</summary>
    public static async Task<List<TimetableSession>> SessionsAsync(TestCounty county, StudentId child)
    {
        using var scope = county.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var published = db.Timetables.Where(t => t.CountyCode == county.Code && t.Status == TimetableStatus.Published).Select(t => t.Id);
        return [.. (await db.Sessions.AsNoTracking().Where(s => published.Contains(s.TimetableId) && s.StudentId == child).ToListAsync()).OrderBy(s => s.Date).ThenBy(s => s.Start)];
    }

    /// <summary>The term matrix as child → week → status.</summary>
    public static async Task<Dictionary<Guid, Dictionary<string, string>>> MatrixAsync(TestCounty county)
    {
        var matrix = await (await county.As("auditor")).GetFromJsonAsync<JsonElement>($"/api/coverage/matrix?termId={county.Term}");
        var weeks = matrix.GetProperty("weeks").EnumerateArray().Select(w => w.GetString()!).ToList();
        return matrix.GetProperty("children").EnumerateArray().ToDictionary(c => c.GetProperty("studentId").GetGuid(),
            c => weeks.Zip(c.GetProperty("statuses").EnumerateArray().Select(s => s.GetString()!)).ToDictionary(x => x.First, x => x.Second, StringComparer.Ordinal));
    }

    /// <summary>The ledger as JSON rows keyed by the bureaus' column names, by 姓名.</summary>
    public static async Task<List<Dictionary<string, string>>> LedgerAsync(TestCounty county) =>
        (await (await county.As("approver")).GetFromJsonAsync<List<Dictionary<string, string>>>($"/api/ledger?termId={county.Term}&format=json"))!;

    /// <summary>A child's teaching file as JSON.</summary>
    public static async Task<JsonElement> TeachingFileAsync(TestCounty county, StudentId child) =>
        await (await county.As("approver")).GetFromJsonAsync<JsonElement>($"/api/students/{child}/teaching-file?termId={county.Term}&format=json");

    /// <summary>Every row of every week of a teaching file.</summary>
    public static IEnumerable<JsonElement> Rows(JsonElement file) => file.GetProperty("weeks").EnumerateArray().SelectMany(w => w.GetProperty("rows").EnumerateArray());

    public static string Week(DateOnly date) => ControlDropout.Web.Features.Calendar.TermCalendar.IsoWeekName(date);
}
