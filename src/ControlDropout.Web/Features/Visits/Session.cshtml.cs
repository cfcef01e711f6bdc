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
// A photo (≤ 5 MB) is larger than the 1 MB every other form is held to.
[RequestSizeLimit(VisitPhotos.MaxBytes + Uploads.MultipartOverheadBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = VisitPhotos.MaxBytes + Uploads.MultipartOverheadBytes)]
public sealed class SessionModel(VisitRecords visits, VisitPhotos photos, PeopleDirectory people, CurrentUser me, NameBook names, TimeProvider clock) : PageModel
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
        public string? CorrectionReason { get; set; }
        /// <summary>The record this form corrects; none for a new record (a draft sent again after it was stored is then "already recorded", not a correction).</summary>
        public Guid? Corrects { get; set; }
        /// <summary>签到: the phone's time (ISO 8601) and, where it gave one, its coarse position.</summary>
        public string? CheckInAt { get; set; }
        public double? CheckInLat { get; set; }
        public double? CheckInLon { get; set; }
        public int? CheckInAccuracyMeters { get; set; }
        public GuardianConfirmation Confirmation { get; set; }
        /// <summary>The signature pad's strokes, each "x,y x,y …" in the 600 × 240 box (signature-pad.js).</summary>
        public List<string> SignatureStrokes { get; set; } = [];
        public string? ConfirmationCode { get; set; }
        public string? ConfirmedAt { get; set; }
        public List<Guid> PhotoIds { get; set; } = [];
    }

    /// <summary>The photo the page's script uploads (<see cref="OnPostPhotoAsync"/>), field <c>file</c>.</summary>
    [BindProperty(Name = Uploads.Field)]
    public IFormFile? Photo { get; set; }

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
    /// <summary>The child's home as stored (WGS-84), for the map links; null for a remote session.</summary>
    public (double Lat, double Lon)? Home { get; private set; }
    public string? MeetingLink { get; private set; }
    /// <summary>The guardian's signature of the record shown (our own SVG, read on the audit trail), or null.</summary>
    public string? SignatureSvg { get; private set; }
    /// <summary>Whether a correction now is in place (within 24 h of the record) or a new version needing a reason.</summary>
    public bool CorrectionNeedsReason { get; private set; }

    public async Task<IActionResult> OnGetAsync(string key, CancellationToken ct)
    {
        if (await LoadAsync(key, ct).ConfigureAwait(false) is { } refused)
        {
            return refused.Status == StatusCodes.Status403Forbidden ? Forbid() : NotFound();
        }
        Prefill();
        await ShowSignatureAsync(ct).ConfigureAwait(false);
        return Page();
    }

    /// <summary>
    /// The record form: a new record of the session, or — when the session has one — its correction (in place within
    /// 24 hours, after that a new version with a reason). After it the teacher lands on the stored record.
    /// </summary>
    public async Task<IActionResult> OnPostAsync(string key, CancellationToken ct)
    {
        var wantsJson = Request.Headers.Accept.ToString().Contains("application/json", StringComparison.Ordinal);
        if (await LoadAsync(key, ct).ConfigureAwait(false) is { } notShown)
        {
            return wantsJson ? new JsonResult(new { code = notShown.Code, message = notShown.Message }) { StatusCode = notShown.Status }
                : notShown.Status == StatusCodes.Status403Forbidden ? Forbid() : NotFound();
        }
        Refusal? refusal = null;
        if (Form.Corrects is { } stale && stale != Existing?.Id)
        {
            // The form corrects a record that is not this session's newest (corrected meanwhile by another version).
            ModelState.AddModelError("", "该记录已被更正，请刷新后再改");
        }
        else if (FormFields.Date(Form.Date) is not { } date)
        {
            ModelState.AddModelError("Form.Date", "请选择日期");
        }
        else
        {
            var request = new VisitRequest(key, date, Form.Start, Form.End, Form.StaffPresent, Form.Place, Form.Content, Form.GoalsAddressed,
                Form.ChildResponse, Form.GuardianFeedback, Form.GuardianName, Form.HomeTask, Form.Missed, Form.MissedReason, FormFields.Date(Form.MakeUpDate),
                Form.CorrectionReason, Form.RescheduleReason, Form.Confirmation, Form.Confirmation == GuardianConfirmation.Signature ? Form.SignatureStrokes : null,
                Form.Confirmation == GuardianConfirmation.Code ? Form.ConfirmationCode?.Trim() : null, Instant(Form.ConfirmedAt), Instant(Form.CheckInAt),
                Form.CheckInLat, Form.CheckInLon, Form.CheckInAccuracyMeters, Form.PhotoIds);
            var correcting = Form.Corrects is not null;
            var result = Form.Corrects is { } corrected ? await visits.CorrectAsync(corrected, request, ct).ConfigureAwait(false) : await visits.RecordAsync(request, ct).ConfigureAwait(false);
            refusal = result.Refusal;
            // A draft sent twice (once before the signal dropped, once after) is recorded once: the first one stands.
            var alreadyRecorded = refusal is { Status: StatusCodes.Status409Conflict, Code: "already_recorded" };
            if (refusal is null || alreadyRecorded)
            {
                var message = alreadyRecorded ? "该课次已有记录，未重复保存" : correcting ? $"已更正：{ChildName} {Zh.Date(date)}" : $"已记录：{ChildName} {Zh.Date(date)}";
                var stored = $"/sessions/{Uri.EscapeDataString(key)}";
                if (wantsJson)
                {
                    TempData["Done"] = message;
                    return new JsonResult(new { ok = true, message, redirect = stored });
                }
                TempData["Done"] = message;
                return Redirect(stored);
            }
            refusal.AddTo(ModelState, FormFields.Under("Form"));
            // A wrong or exhausted 确认码 (422/429) is told beside its field too.
            if (refusal.Status is StatusCodes.Status422UnprocessableEntity or StatusCodes.Status429TooManyRequests)
            {
                foreach (var error in refusal.Errors)
                {
                    ModelState.AddModelError(FormFields.Under("Form")(error.Code), error.Message);
                }
            }
        }
        // A role that may not record (an auditor, an approver) gets the page with the refusal, and a 403.
        var status = refusal is { Status: StatusCodes.Status403Forbidden } ? StatusCodes.Status403Forbidden : (int?)null;
        if (wantsJson)
        {
            return new JsonResult(new { ok = false, errors = ErrorsByField() }) { StatusCode = status ?? StatusCodes.Status422UnprocessableEntity };
        }
        await ShowSignatureAsync(ct).ConfigureAwait(false);
        var page = Page();
        page.StatusCode = status;
        return page;
    }

    /// <summary>
    /// A photo of the session taken on the phone, sent by the page's script (visit-form.js, or site.js when the
    /// signal returns): stored by <see cref="VisitPhotos.StoreAsync"/>, answered as JSON <c>{ id }</c> for the record's PhotoIds.
    /// </summary>
    public async Task<IActionResult> OnPostPhotoAsync(string key, CancellationToken ct)
    {
        if (await LoadAsync(key, ct).ConfigureAwait(false) is { } notShown)
        {
            return new JsonResult(new { code = notShown.Code, message = notShown.Message }) { StatusCode = notShown.Status };
        }
        Result<Upload> upload;
        if (Photo is not { Length: > 0 } file)
        {
            upload = Refusal.Invalid(Uploads.Field, "请选择照片");
        }
        else if (file.Length > VisitPhotos.MaxBytes)
        {
            upload = new Refusal(StatusCodes.Status413PayloadTooLarge, "too_large", "照片不能超过 5 MB", [new ApiError(Uploads.Field, "照片不能超过 5 MB")]);
        }
        else
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct).ConfigureAwait(false);
            upload = new Upload(buffer.ToArray(), file.FileName);
        }
        var stored = await photos.StoreAsync(key, upload, ct).ConfigureAwait(false);
        return stored.Succeeded
            ? new JsonResult(new { id = stored.Value.Id, width = stored.Value.Width, height = stored.Value.Height })
            : new JsonResult(new { code = stored.Refusal!.Code, message = stored.Refusal.Errors.Count > 0 ? stored.Refusal.Errors[0].Message : stored.Refusal.Message }) { StatusCode = stored.Refusal.Status };
    }

    /// <summary>An instant the phone wrote (ISO 8601 with its offset), or null.</summary>
    private static DateTimeOffset? Instant(string? text) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var at) ? at : null;

    /// <summary>The stored record's signature, inline (it is our own SVG); the read is audited by the use case.</summary>
    private async Task ShowSignatureAsync(CancellationToken ct)
    {
        if (Existing is { HasSignature: true } v)
        {
            var svg = await visits.SignatureAsync(v.Id, ct).ConfigureAwait(false);
            SignatureSvg = svg.Succeeded ? svg.Value : null;
        }
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
        await ShowSignatureAsync(ct).ConfigureAwait(false);
        return Page();
    }

    /// <summary>The visit form as a new record of this session starts, or as the stored record reads (for its correction).</summary>
    private void Prefill()
    {
        var s = Session!;
        if (Existing is { } v)
        {
            Form = new VisitForm
            {
                Date = FormFields.Date(v.Date), Start = v.Start, End = v.End, StaffPresent = [.. v.StaffPresent], Place = v.Place, Content = v.Content,
                GoalsAddressed = [.. v.GoalsAddressed], ChildResponse = v.ChildResponse, GuardianFeedback = v.GuardianFeedback, GuardianName = v.GuardianName,
                HomeTask = v.HomeTask, Missed = v.Missed, MissedReason = v.MissedReason, MakeUpDate = v.MakeUpDate is { } m ? FormFields.Date(m) : null,
                RescheduleReason = v.RescheduleReason, PhotoIds = [.. v.PhotoIds ?? []], Corrects = v.Id,
            };
            return;
        }
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
        var (session, child, goals, existing, mayRecord, status, meetingLink) = sheet.Value;
        await names.LoadAsync(me.CountyCode, ct).ConfigureAwait(false);
        (Session, ChildName, Existing, CanRecord, State) = (session, child.Name, existing, mayRecord, SessionWords.Of(session, status));
        Home = session.Mode == SessionModes.Remote ? null : (child.HomeLat, child.HomeLon);
        MeetingLink = meetingLink;
        CorrectionNeedsReason = existing is not null && clock.GetUtcNow() - existing.RecordedAt > VisitRecords.CorrectInPlace;
        Guardians.AddRange(child.Guardians.Select(g => new GuardianDto(g.Name, g.Relation, Masking.Phone(g.Phone))));
        Place = session.Mode == SessionModes.Remote ? "线上" : names.Village(child.VillageCode);
        Goals.AddRange(goals);
        return null;
    }
}
