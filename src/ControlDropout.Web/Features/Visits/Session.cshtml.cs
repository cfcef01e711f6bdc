using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Visits;

/// <summary>
/// One session (the page a calendar event links to) and its visit record form. The form posts to the
/// API's own handler; a script that sends a draft saved offline asks for JSON and gets the same answer.
/// </summary>
public sealed class SessionModel(AppDbContext db, NameBook names, TimeProvider clock) : PageModel
{
    public sealed class VisitForm
    {
        public string Date { get; set; } = "";
        public string Start { get; set; } = "";
        public string End { get; set; } = "";
        public List<Guid> StaffPresent { get; set; } = [];
        public VisitPlace Place { get; set; }
        public string? Content { get; set; }
        public List<string> GoalsAddressed { get; set; } = [];
        public string? ChildResponse { get; set; }
        public string? GuardianFeedback { get; set; }
        public string? GuardianName { get; set; }
        public string? HomeTask { get; set; }
        public bool Missed { get; set; }
        public string? MissedReason { get; set; }
        public string? MakeUpDate { get; set; }
    }

    [BindProperty]
    public VisitForm Form { get; set; } = new();

    public TimetableSession? Session { get; private set; }
    public string ChildName { get; private set; } = "";
    public string Place { get; private set; } = "";
    public NameBook Names => names;
    public List<string> Goals { get; } = [];
    public VisitDto? Existing { get; private set; }
    public bool CanRecord { get; private set; }

    public async Task<IActionResult> OnGetAsync(string key, CancellationToken ct)
    {
        if (!await LoadAsync(key, ct).ConfigureAwait(false))
        {
            return NotFound();
        }
        var s = Session!;
        var me = Caller.From(User).StaffId?.Value;
        Form = new VisitForm
        {
            Date = FormFields.Date(s.Date), Start = Zh.Time(s.Start), End = Zh.Time(s.End),
            StaffPresent = me is { } id && s.StaffIds.Contains(id) ? [id] : [.. s.StaffIds],
            Place = s.Mode == "remote" ? VisitPlace.Online : VisitPlace.Home,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string key, CancellationToken ct)
    {
        var wantsJson = Request.Headers.Accept.ToString().Contains("application/json", StringComparison.Ordinal);
        if (!await LoadAsync(key, ct).ConfigureAwait(false))
        {
            return wantsJson ? new JsonResult(new { code = "not_found", message = Outcome.NotFoundMessage }) { StatusCode = StatusCodes.Status404NotFound } : NotFound();
        }
        if (FormFields.Date(Form.Date) is not { } date)
        {
            ModelState.AddModelError("Form.Date", "请选择日期");
        }
        else
        {
            var request = new VisitRequest(key, date, Form.Start, Form.End, Form.StaffPresent, Form.Place, Form.Content, Form.GoalsAddressed,
                Form.ChildResponse, Form.GuardianFeedback, Form.GuardianName, Form.HomeTask, Form.Missed, Form.MissedReason, FormFields.Date(Form.MakeUpDate), null);
            var result = await VisitEndpoints.Record(request, User, db, clock, ct).ConfigureAwait(false);
            var alreadyRecorded = Outcome.Unwrap(result) is Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult { StatusCode: StatusCodes.Status409Conflict };
            if (!Outcome.Refused(result, ModelState, FormFields.Under("Form")) || alreadyRecorded)
            {
                // A draft sent twice (once before the signal dropped, once after) is recorded once: the first one stands.
                var message = alreadyRecorded ? "该课次已有记录，未重复保存" : $"已记录：{ChildName} {Zh.Date(date)}";
                if (wantsJson)
                {
                    return new JsonResult(new { ok = true, message, redirect = "/my/week" });
                }
                TempData["Done"] = message;
                return Redirect(Caller.From(User).Role == Roles.Teacher ? "/my/week" : $"/children/{Session!.StudentId}");
            }
        }
        return wantsJson
            ? new JsonResult(new { ok = false, errors = Outcome.Errors(ModelState) }) { StatusCode = StatusCodes.Status422UnprocessableEntity }
            : Page();
    }

    private async Task<bool> LoadAsync(string key, CancellationToken ct)
    {
        var caller = Caller.From(User);
        await names.LoadAsync(caller.CountyCode, ct).ConfigureAwait(false);
        var published = db.Timetables.Where(t => t.CountyCode == caller.CountyCode && t.Status == TimetableStatus.Published).Select(t => t.Id);
        Session = await db.Sessions.AsNoTracking().Where(s => published.Contains(s.TimetableId) && s.SessionKey == key).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (Session is null)
        {
            return false;
        }
        var child = await db.Students.AsNoTracking().SingleAsync(s => s.Id == Session.StudentId, ct).ConfigureAwait(false);
        // A teacher sees only their own sessions; a coordinator only their school's children.
        var mine = caller.Role switch
        {
            Roles.Teacher => caller.StaffId is { } me && Session.StaffIds.Contains(me.Value),
            Roles.Coordinator => child.SchoolOfRecordId == caller.SchoolId,
            _ => true,
        };
        if (!mine)
        {
            return false;
        }
        CanRecord = caller.Role is Roles.Teacher or Roles.Coordinator;
        ChildName = child.Name;
        Place = Session.Mode == "remote" ? "线上" : names.Village(child.VillageCode);
        var plan = await db.Plans.AsNoTracking().Include(p => p.Versions).Where(p => p.StudentId == child.Id).ToListAsync(ct).ConfigureAwait(false);
        Goals.AddRange(plan.SelectMany(p => p.Versions).Where(v => v.Status is PlanStatus.Approved or PlanStatus.Active).OrderByDescending(v => v.Number).FirstOrDefault()?.Goals ?? []);
        Existing = (await VisitEndpoints.List(child.Id.Value, null, null, null, User, db, ct).ConfigureAwait(false)).Value!
            .Where(v => v.SessionKey == key).OrderByDescending(v => v.Version).FirstOrDefault();
        return true;
    }
}
