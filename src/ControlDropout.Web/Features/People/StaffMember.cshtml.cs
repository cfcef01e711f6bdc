using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Features.Disruptions;
using ControlDropout.Web.Features.Timetables;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.People;

/// <summary>
/// A staff member: their week as a picture, and leave entry with the re-plan it caused. A coordinator
/// opening another school's staff member sees only the sessions with their own school's children
/// (see <see cref="StaffWeeks.OfAsync"/>) and cannot record that person's leave.
/// </summary>
[Authorize(Policy = nameof(Permission.ListStaff))]
public sealed class StaffMemberModel(StaffWeeks weeks, LeaveAndClosures disruptions, CurrentTerm currentTerm, CurrentUser me, NameBook names) : PageModel
{
    public sealed class LeaveForm
    {
        public string FirstDay { get; set; } = "";
        public string LastDay { get; set; } = "";
        public string Reason { get; set; } = "";
    }

    [BindProperty]
    public LeaveForm Leave { get; set; } = new();

    public Staff? Staff { get; private set; }
    public DateOnly Monday { get; private set; }
    public string WeekName => TermCalendar.IsoWeekName(Monday);
    public string Picture { get; private set; } = "";
    public int TravelMinutes { get; private set; }
    public bool CanRecordLeave { get; private set; }
    /// <summary>The bureau, or the coordinator of the staff member's school, may correct the record.</summary>
    public bool CanEdit { get; private set; }
    /// <summary>The week shows only the caller's school's children (a coordinator looking at another school's staff member).</summary>
    public bool OnlyOwnChildren { get; private set; }
    public ReplanResult? Replan { get; private set; }
    public NameBook Names => names;

    /// <summary>A day of the week in the list under the picture: its visits, or 请假.</summary>
    public sealed record DayLine(DateOnly Date, int Visits, bool OnLeave);

    public List<DayLine> DayList { get; } = [];

    public Task<IActionResult> OnGetAsync(Guid id, DateOnly? monday, CancellationToken ct) => ShowAsync(id, monday, ct);

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var first = FormFields.Date(Leave.FirstDay);
        var last = FormFields.Date(Leave.LastDay);
        if (first is null)
        {
            ModelState.AddModelError("Leave.FirstDay", "请选择开始日期");
        }
        if (last is null)
        {
            ModelState.AddModelError("Leave.LastDay", "请选择结束日期");
        }
        if (first is { } f && last is { } l)
        {
            var result = await disruptions.RecordLeaveAsync(new StaffId(id), new LeaveRequest(f, l, Leave.Reason), ct).ConfigureAwait(false);
            switch (result.Refusal?.Status)
            {
                case StatusCodes.Status404NotFound:
                    return NotFound();
                case StatusCodes.Status403Forbidden:
                    return Forbid();
            }
            if (!result.Refused(ModelState, FormFields.Under("Leave")))
            {
                Replan = result.Value.Replan;
                Leave = new LeaveForm();
            }
        }
        return await ShowAsync(id, first, ct).ConfigureAwait(false);
    }

    private async Task<IActionResult> ShowAsync(Guid id, DateOnly? monday, CancellationToken ct)
    {
        var week = await weeks.OfAsync(new StaffId(id), monday ?? currentTerm.Today, ct).ConfigureAwait(false);
        switch (week.Refusal?.Status)
        {
            case StatusCodes.Status404NotFound:
                return NotFound();
            case StatusCodes.Status403Forbidden:
                return Forbid();
        }
        Staff = week.Value.Staff;
        Monday = StaffWeeks.MondayOf(monday ?? currentTerm.Today);
        // Each visit coloured and titled by what it came to (delivered, missed, scheduled), as on every page.
        Picture = WeekPicture.Render(Staff.Name, Monday, week.Value.Days, week.Value.StatusOf, week.Value.Leave);
        DayList.AddRange(Enumerable.Range(0, 7).Select(Monday.AddDays)
            .Select(d => (d, week.Value.Days.FirstOrDefault(r => r.Date == d)?.Stops.Count ?? 0, week.Value.Leave.Contains(d)))
            .Where(d => d.Item2 > 0 || d.Item3 || d.d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            .Select(d => new DayLine(d.d, d.Item2, d.Item3)));
        TravelMinutes = week.Value.TravelMinutes;
        CanRecordLeave = me.May(Permission.RecordLeave) && disruptions.ActsFor(Staff);
        OnlyOwnChildren = !disruptions.ActsFor(Staff);
        CanEdit = me.May(Permission.Enrol) && (!me.IsCoordinator || (Staff.SchoolId is { } school && me.ActsFor(school)));
        return Page();
    }
}
