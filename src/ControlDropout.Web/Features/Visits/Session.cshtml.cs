using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.People;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.Visits;

/// <summary>
/// One session (the page a calendar event links to) and its visit record form. The form posts to the
/// same use case as the API; a script that sends a draft saved offline asks for JSON and gets the same answer.
/// </summary>
public sealed class SessionModel(VisitRecords visits, PeopleDirectory people, CurrentUser me, NameBook names) : PageModel
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
        public string? RescheduleReason { get; set; }
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
    /// <summary>What the session came to, in words (<see cref="SessionWords"/>).</summary>
    public string State { get; private set; } = "";
    /// <summary>The child's guardians, phones masked until the team asks to call them (<see cref="OnPostGuardiansAsync"/>).</summary>
    public List<GuardianDto> Guardians { get; } = [];
    public bool PhonesShown { get; private set; }
    public bool CanRevealPhones => people.MayRevealGuardians;

    public async Task<IActionResult> OnGetAsync(string key, CancellationToken ct)
    {
        if (await LoadAsync(key, ct).ConfigureAwait(false) is { } refused)
        {
            return refused.Status == StatusCodes.Status403Forbidden ? Forbid() : NotFound();
        }
        Prefill();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string key, CancellationToken ct)
    {
        var wantsJson = Request.Headers.Accept.ToString().Contains("application/json", StringComparison.Ordinal);
        if (await LoadAsync(key, ct).ConfigureAwait(false) is { } notShown)
        {
            return wantsJson ? new JsonResult(new { code = notShown.Code, message = notShown.Message }) { StatusCode = notShown.Status }
                : notShown.Status == StatusCodes.Status403Forbidden ? Forbid() : NotFound();
        }
        Refusal? refusal = null;
        if (FormFields.Date(Form.Date) is not { } date)
        {
            ModelState.AddModelError("Form.Date", "请选择日期");
        }
        else
        {
            var request = new VisitRequest(key, date, Form.Start, Form.End, Form.StaffPresent, Form.Place, Form.Content, Form.GoalsAddressed,
                Form.ChildResponse, Form.GuardianFeedback, Form.GuardianName, Form.HomeTask, Form.Missed, Form.MissedReason, FormFields.Date(Form.MakeUpDate), null, Form.RescheduleReason);
            var result = await visits.RecordAsync(request, ct).ConfigureAwait(false);
            refusal = result.Refusal;
            // A draft sent twice (once before the signal dropped, once after) is recorded once: the first one stands.
            var alreadyRecorded = refusal is { Status: StatusCodes.Status409Conflict };
            if (refusal is null || alreadyRecorded)
            {
                var message = alreadyRecorded ? "该课次已有记录，未重复保存" : $"已记录：{ChildName} {Zh.Date(date)}";
                if (wantsJson)
                {
                    return new JsonResult(new { ok = true, message, redirect = "/my/week" });
                }
                TempData["Done"] = message;
                return Redirect(me.IsTeacher ? "/my/week" : $"/children/{Session!.StudentId}");
            }
            refusal.AddTo(ModelState, FormFields.Under("Form"));
        }
        // A role that may not record (an auditor, an approver) gets the page with the refusal, and a 403.
        var status = refusal is { Status: StatusCodes.Status403Forbidden } ? StatusCodes.Status403Forbidden : (int?)null;
        if (wantsJson)
        {
            return new JsonResult(new { ok = false, errors = ErrorsByField() }) { StatusCode = status ?? StatusCodes.Status422UnprocessableEntity };
        }
        var page = Page();
        page.StatusCode = status;
        return page;
    }

    /// <summary>The guardians' phones in full, as tel: links, for the teacher who must call the family; the reveal is audited.</summary>
    public async Task<IActionResult> OnPostGuardiansAsync(string key, CancellationToken ct)
    {
        if (await LoadAsync(key, ct).ConfigureAwait(false) is { } refused)
        {
            return refused.Status == StatusCodes.Status403Forbidden ? Forbid() : NotFound();
        }
        ModelState.Clear(); // this form posts no visit record: nothing of the record form to validate
        var phones = await people.GuardiansAsync(Session!.StudentId, reveal: true, ct).ConfigureAwait(false);
        if (!phones.Refused(ModelState))
        {
            Guardians.Clear();
            Guardians.AddRange(phones.Value);
            PhonesShown = true;
        }
        Prefill();
        return Page();
    }

    /// <summary>The visit form as a new record of this session starts.</summary>
    private void Prefill()
    {
        var s = Session!;
        var myself = me.StaffId?.Value;
        Form = new VisitForm
        {
            Date = FormFields.Date(s.Date), Start = Zh.Time(s.Start), End = Zh.Time(s.End),
            StaffPresent = myself is { } id && s.StaffIds.Contains(id) ? [id] : [.. s.StaffIds],
            Place = s.Mode == SessionModes.Remote ? VisitPlace.Online : VisitPlace.Home,
        };
    }

    /// <summary>The answer a script on the page gets (the visit form sending a draft later): the same messages as JSON.</summary>
    private Dictionary<string, string[]> ErrorsByField() =>
        ModelState.Where(e => e.Value is { Errors.Count: > 0 }).ToDictionary(e => e.Key, e => e.Value!.Errors.Select(x => x.ErrorMessage).ToArray());

    /// <summary>The session and what the page shows of it; null when shown, else why not.</summary>
    private async Task<Refusal?> LoadAsync(string key, CancellationToken ct)
    {
        var sheet = await visits.OpenAsync(key, ct).ConfigureAwait(false);
        if (!sheet.Succeeded)
        {
            return sheet.Refusal;
        }
        var (session, child, goals, existing, mayRecord, status) = sheet.Value;
        await names.LoadAsync(me.CountyCode, ct).ConfigureAwait(false);
        (Session, ChildName, Existing, CanRecord, State) = (session, child.Name, existing, mayRecord, SessionWords.Of(session, status));
        Guardians.AddRange(child.Guardians.Select(g => new GuardianDto(g.Name, g.Relation, Masking.Phone(g.Phone))));
        Place = session.Mode == SessionModes.Remote ? "线上" : names.Village(child.VillageCode);
        Goals.AddRange(goals);
        return null;
    }
}
