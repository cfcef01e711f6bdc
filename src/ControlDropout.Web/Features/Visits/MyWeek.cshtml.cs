using ControlDropout.Web.Data;
using ControlDropout.Web.Features.Timetables;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Visits;

/// <summary>The teacher's week on a phone: each session in order with when to leave, the road and the village.</summary>
public sealed class MyWeekModel(AppDbContext db, StaffWeeks weeks, TimeProvider clock) : PageModel
{
    public DateOnly Monday { get; private set; }
    public string WeekName => Calendar.TermCalendar.IsoWeekName(Monday);
    public IReadOnlyList<DayRoute> Days { get; private set; } = [];
    public HashSet<string> Recorded { get; } = [];
    public string? Picture { get; private set; }

    public async Task<IActionResult> OnGetAsync(DateOnly? monday, CancellationToken ct)
    {
        var caller = Caller.From(User);
        if (caller.StaffId is not { } me)
        {
            return Forbid();
        }
        // At the weekend a teacher looks ahead: the coming week, not the one just finished.
        var today = Zh.Today(clock);
        Monday = StaffWeeks.MondayOf(monday ?? (today.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? today.AddDays(2) : today));
        var week = (await weeks.LoadAsync(caller.CountyCode, Monday, null, me, ct).ConfigureAwait(false)).SingleOrDefault();
        if (week is null)
        {
            return NotFound();
        }
        Days = week.Days;
        var keys = Days.SelectMany(d => d.Stops).Select(s => s.Session.SessionKey).ToList();
        Recorded.UnionWith(await db.Visits.Where(v => keys.Contains(v.SessionKey)).Select(v => v.SessionKey).ToListAsync(ct).ConfigureAwait(false));
        if (Days.Count > 0)
        {
            Picture = WeekPicture.Render(week.Staff.Name, Monday, Days);
        }
        return Page();
    }
}
