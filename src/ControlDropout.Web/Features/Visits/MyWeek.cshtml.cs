using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Timetables;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.Visits;

/// <summary>
/// The teacher's week on a phone: each session in order with when to leave, the road and the village, and what
/// it came to (<see cref="RecordFacts.StatusOf"/>: delivered or missed as recorded, missed once its grace passed unrecorded).
/// </summary>
public sealed class MyWeekModel(StaffWeeks weeks, CurrentUser me, TimeProvider clock) : PageModel
{
    public DateOnly Monday { get; private set; }
    public string WeekName => Calendar.TermCalendar.IsoWeekName(Monday);
    public IReadOnlyList<DayRoute> Days { get; private set; } = [];
    /// <summary>What each session of the week came to, by session id.</summary>
    public Dictionary<Guid, SessionStatus> States { get; } = [];
    public string? Picture { get; private set; }

    public async Task<IActionResult> OnGetAsync(DateOnly? monday, CancellationToken ct)
    {
        // The week of one's own sessions: only a staff member's account has one.
        if (me.StaffId is not { } myself)
        {
            return Forbid();
        }
        // A week outside 2000–2100 is no week of any term (and 9999-12-31 has no Sunday).
        if (monday is { } asked && (asked < Validation.EarliestDate || asked > Validation.LatestDate))
        {
            return BadRequest();
        }
        // At the weekend a teacher looks ahead: the coming week, not the one just finished.
        var today = Zh.Today(clock);
        Monday = StaffWeeks.MondayOf(monday ?? (today.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? today.AddDays(2) : today));
        var week = (await weeks.LoadAsync(me.CountyCode, Monday, null, myself, ct).ConfigureAwait(false)).SingleOrDefault();
        if (week is null)
        {
            return NotFound();
        }
        Days = week.Days;
        foreach (var stop in Days.SelectMany(d => d.Stops))
        {
            States[stop.Session.Id] = week.StatusOf(stop.Session);
        }
        // A week of leave with nothing to teach still shows its picture: the teacher sees the leave marked.
        if (Days.Count > 0 || week.Leave.Count > 0)
        {
            Picture = WeekPicture.Render(week.Staff.Name, Monday, Days, week.StatusOf, week.Leave);
        }
        return Page();
    }
}
