using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Timetables;

/// <summary>The timetable run: start it, watch it solve, read who is not covered and why, acknowledge and publish.</summary>
[Authorize(Policy = Policies.Decide)]
public sealed class RunModel(AppDbContext db, RunInbox inbox, TimeProvider clock, NameBook names, StaffWeeks weeks) : PageModel
{
    public const int RefreshSeconds = 2;

    public Guid TermId { get; private set; }
    public string TermName { get; private set; } = "";
    public RunDto? LatestRun { get; private set; }
    public TimetableDto? Draft { get; private set; }
    public TimetableDto? Published { get; private set; }
    public NameBook Names => names;
    public string? TravelPicture { get; private set; }
    public string PictureWeek { get; private set; } = "";
    public string PictureOf { get; private set; } = "";

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => ShowAsync(ct);

    public async Task<IActionResult> OnPostStartAsync(Guid termId, CancellationToken ct) =>
        await AfterAsync(await TimetableEndpoints.StartRun(new StartRunRequest(termId), User, db, inbox, clock, ct).ConfigureAwait(false), "排课已开始", ct).ConfigureAwait(false);

    public async Task<IActionResult> OnPostCancelAsync(Guid runId, CancellationToken ct) =>
        await AfterAsync(await TimetableEndpoints.CancelRun(runId, User, db, ct).ConfigureAwait(false), "已请求取消排课", ct).ConfigureAwait(false);

    public async Task<IActionResult> OnPostAcknowledgeAsync(Guid timetableId, Guid studentId, string? note, CancellationToken ct) =>
        await AfterAsync(await TimetableEndpoints.Acknowledge(timetableId, studentId, new AcknowledgeRequest(note), User, db, clock, ct).ConfigureAwait(false), "已确认", ct).ConfigureAwait(false);

    public async Task<IActionResult> OnPostPublishAsync(Guid timetableId, CancellationToken ct) =>
        await AfterAsync(await TimetableEndpoints.Publish(timetableId, User, db, clock, ct).ConfigureAwait(false), "课表已发布", ct).ConfigureAwait(false);

    private async Task<IActionResult> AfterAsync(IResult result, string done, CancellationToken ct)
    {
        if (Outcome.Refused(result, ModelState))
        {
            return await ShowAsync(ct).ConfigureAwait(false);
        }
        TempData["Done"] = done;
        return Redirect("/timetable");
    }

    private async Task<IActionResult> ShowAsync(CancellationToken ct)
    {
        var caller = Caller.From(User);
        await names.LoadAsync(caller.CountyCode, ct).ConfigureAwait(false);
        var today = Zh.Today(clock);
        var terms = await db.Terms.AsNoTracking().Where(t => t.CountyCode == caller.CountyCode).ToListAsync(ct).ConfigureAwait(false);
        var term = Calendar.CurrentTerm.Pick(terms, today);
        if (term is null)
        {
            ModelState.AddModelError("", "还没有学期，请先建立学期校历");
            return Page();
        }
        (TermId, TermName) = (term.Id.Value, term.Name);
        // SQLite cannot order by DateTimeOffset: a county has few runs, so order them here.
        var latest = (await db.Runs.AsNoTracking().Where(r => r.CountyCode == caller.CountyCode && r.TermId == term.Id).ToListAsync(ct).ConfigureAwait(false))
            .OrderByDescending(r => r.CreatedAt).FirstOrDefault();
        if (latest is not null)
        {
            LatestRun = Outcome.Value<RunDto>((await TimetableEndpoints.GetRun(latest.Id, User, db, ct).ConfigureAwait(false)).Result);
        }
        var timetables = (await TimetableEndpoints.List(term.Id.Value, User, db, ct).ConfigureAwait(false)).Value!;
        Draft = timetables.FirstOrDefault(t => t.Status == TimetableStatus.Draft);
        Published = timetables.FirstOrDefault(t => t.Status == TimetableStatus.Published);
        if ((Draft ?? Published) is { } shown)
        {
            // The first teaching week from today that has sessions: what next week's roads look like.
            var first = await db.Sessions.AsNoTracking().Where(s => s.TimetableId == shown.Id && s.Date >= StaffWeeks.MondayOf(today))
                .OrderBy(s => s.Date).Select(s => (DateOnly?)s.Date).FirstOrDefaultAsync(ct).ConfigureAwait(false);
            if (first is { } date)
            {
                var monday = StaffWeeks.MondayOf(date);
                var week = await weeks.LoadAsync(caller.CountyCode, monday, shown.Id, null, ct).ConfigureAwait(false);
                TravelPicture = Timetables.TravelPicture.Render([.. week.Where(w => w.Days.Count > 0).Select(w => (w.Staff.Name, w.TravelMinutes))]);
                PictureWeek = Calendar.TermCalendar.IsoWeekName(monday);
                PictureOf = shown == Draft ? "待发布的课表" : "当前课表";
            }
        }
        return Page();
    }
}
