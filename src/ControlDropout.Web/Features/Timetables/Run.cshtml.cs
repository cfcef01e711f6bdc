using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Timetables;

/// <summary>The timetable run: start it, watch it solve, read who is not covered and why, acknowledge and publish.</summary>
[Authorize(Policy = nameof(Permission.ManageCounty))]
public sealed class RunModel(AppDbContext db, CurrentUser me, TimetableRuns runs, TimetableReview review, TimetableTables tables, CurrentTerm currentTerm, NameBook names, StaffWeeks weeks,
    DraftReport reports) : PageModel
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
    /// <summary>What publishing the draft would change against the version in force (shown above the publish button).</summary>
    public TimetableChangesDto? Changes { get; private set; }
    /// <summary>The draft's week as tables by teacher and by township, and the same week of the version in force.</summary>
    public TimetableTablesDto? DraftTables { get; private set; }
    public TimetableTablesDto? PublishedTables { get; private set; }
    /// <summary>The solver's account of the draft: the changes it made against the version in force, who drives how much, what is short.</summary>
    public DraftReportDto? Report { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => ShowAsync(ct);

    public async Task<IActionResult> OnPostStartAsync(Guid termId, CancellationToken ct) =>
        await AfterAsync((await runs.StartAsync(new TermId(termId), ct).ConfigureAwait(false)).Refusal, "排课已开始", ct).ConfigureAwait(false);

    public async Task<IActionResult> OnPostCancelAsync(Guid runId, CancellationToken ct) =>
        await AfterAsync((await runs.CancelAsync(runId, ct).ConfigureAwait(false)).Refusal, "已请求取消排课", ct).ConfigureAwait(false);

    public async Task<IActionResult> OnPostAcknowledgeAsync(Guid timetableId, Guid studentId, string? note, CancellationToken ct) =>
        await AfterAsync((await review.AcknowledgeAsync(timetableId, new StudentId(studentId), note, ct).ConfigureAwait(false)).Refusal, "已确认", ct).ConfigureAwait(false);

    /// <summary>The day a published draft would take effect by default: the next teaching day.</summary>
    public DateOnly NextTeachingDay { get; private set; }

    public async Task<IActionResult> OnPostPublishAsync(Guid timetableId, DateOnly? effectiveFrom, CancellationToken ct) =>
        await AfterAsync((await review.PublishAsync(timetableId, effectiveFrom, ct).ConfigureAwait(false)).Refusal, "课表已发布", ct).ConfigureAwait(false);

    private async Task<IActionResult> AfterAsync(Refusal? refusal, string done, CancellationToken ct)
    {
        if (refusal is not null)
        {
            if (refusal.Status == StatusCodes.Status403Forbidden)
            {
                return Forbid();
            }
            refusal.AddTo(ModelState);
            return await ShowAsync(ct).ConfigureAwait(false);
        }
        TempData["Done"] = done;
        return Redirect("/timetable");
    }

    private async Task<IActionResult> ShowAsync(CancellationToken ct)
    {
        await names.LoadAsync(me.CountyCode, ct).ConfigureAwait(false);
        var term = await currentTerm.FindAsync(ct).ConfigureAwait(false);
        if (term is null)
        {
            ModelState.AddModelError("", "还没有学期，请先建立学期校历");
            return Page();
        }
        (TermId, TermName) = (term.Id.Value, term.Name);
        NextTeachingDay = await review.NextTeachingDayAsync(term, currentTerm.Today, ct).ConfigureAwait(false);
        LatestRun = await runs.LatestAsync(term.Id, ct).ConfigureAwait(false);
        var timetables = (await review.ListAsync(term.Id, ct).ConfigureAwait(false)).Value;
        Draft = timetables.FirstOrDefault(t => t.Status == TimetableStatus.Draft);
        Published = timetables.FirstOrDefault(t => t.Status == TimetableStatus.Published);
        if ((Draft ?? Published) is { } shown)
        {
            // The first teaching week from today that has sessions: what next week's roads look like.
            var first = await db.Sessions.AsNoTracking().Where(s => s.TimetableId == shown.Id && s.Date >= StaffWeeks.MondayOf(currentTerm.Today))
                .OrderBy(s => s.Date).Select(s => (DateOnly?)s.Date).FirstOrDefaultAsync(ct).ConfigureAwait(false);
            if (first is { } date)
            {
                var monday = StaffWeeks.MondayOf(date);
                var week = await weeks.LoadAsync(me.CountyCode, monday, shown.Id, null, ct).ConfigureAwait(false);
                var drawn = week.Where(w => w.Days.Count > 0).ToList();
                TravelPicture = Timetables.TravelPicture.Render([.. drawn.Select(w => (w.Staff.Name, w.TravelMinutes))], [.. drawn.Select(w => (string?)$"/staff/{w.Staff.Id.Value}")]);
                PictureWeek = TermCalendar.IsoWeekName(monday);
                PictureOf = shown == Draft ? "待发布的课表" : "当前课表";
                DraftTables = Draft is { } d ? OrNull(await tables.WeekAsync(d.Id, monday, ct).ConfigureAwait(false)) : null;
                PublishedTables = Published is { } p ? OrNull(await tables.WeekAsync(p.Id, monday, ct).ConfigureAwait(false)) : null;
            }
        }
        if (Draft is { } draft)
        {
            Changes = OrNull(await review.ChangesAsync(draft.Id, ct).ConfigureAwait(false));
            Report = OrNull(await reports.GetAsync(draft.Id, ct).ConfigureAwait(false));
        }
        return Page();
    }

    private static T? OrNull<T>(Result<T> result) where T : class => result.Succeeded ? result.Value : null;
}
