using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Timetables;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.People;

/// <summary>A staff member: their week as a picture, and leave entry with the re-plan it caused.</summary>
[Authorize(Policy = Policies.RecordDisruptions)]
public sealed class StaffMemberModel(AppDbContext db, StaffWeeks weeks, Replanner replanner, TimeProvider clock, NameBook names) : PageModel
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
    public string WeekName => Calendar.TermCalendar.IsoWeekName(Monday);
    public string Picture { get; private set; } = "";
    public int TravelMinutes { get; private set; }
    public bool CanRecordLeave { get; private set; }
    public ReplanResult? Replan { get; private set; }
    public NameBook Names => names;

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
            var result = await LeaveEndpoints.Record(id, new LeaveRequest(f, l, Leave.Reason), User, db, replanner, clock, ct).ConfigureAwait(false);
            if (!Outcome.Refused(result, ModelState, FormFields.Under("Leave")))
            {
                Replan = Outcome.Value<LeaveResult>(result)!.Replan;
                Leave = new LeaveForm();
            }
        }
        return await ShowAsync(id, first, ct).ConfigureAwait(false);
    }

    private async Task<IActionResult> ShowAsync(Guid id, DateOnly? monday, CancellationToken ct)
    {
        var caller = Caller.From(User);
        Staff = await db.Staff.AsNoTracking().SingleOrDefaultAsync(s => s.Id == new StaffId(id) && s.CountyCode == caller.CountyCode, ct).ConfigureAwait(false);
        if (Staff is null)
        {
            return NotFound();
        }
        Monday = StaffWeeks.MondayOf(monday ?? Zh.Today(clock));
        var week = (await weeks.LoadAsync(caller.CountyCode, Monday, null, Staff.Id, ct).ConfigureAwait(false)).Single();
        Picture = WeekPicture.Render(Staff.Name, Monday, week.Days);
        TravelMinutes = week.TravelMinutes;
        CanRecordLeave = caller.Role != Roles.Coordinator || Staff.SchoolId == caller.SchoolId;
        return Page();
    }
}
