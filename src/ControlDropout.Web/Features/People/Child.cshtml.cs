using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Features.Plans;
using ControlDropout.Web.Features.TeachingFile;
using ControlDropout.Web.Features.Visits;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.People;

/// <summary>A child's page: identity (masked unless an approver asks, audited), assessments, plans, sessions and records.</summary>
public sealed class ChildModel(AppDbContext db, PeopleDirectory people, PlanDecisions plans, VisitRecords visits, TeachingFiles files, CurrentTerm terms, NameBook names, CurrentUser me, TimeProvider clock, ChildPath path) : PageModel
{
    /// <summary>How many sessions from today on the page lists.</summary>
    public const int UpcomingSessions = 12;

    public sealed record PlanRow(Guid Id, string Term, int Version, string Status);

    public sealed record SessionRow(string Date, string Time, string Mode, string Staff, string Status);

    public StudentDto? Student { get; private set; }
    public string School { get; private set; } = "";
    public string Village { get; private set; } = "";
    public bool Unmasked { get; private set; }
    public bool CanUnmask { get; private set; }
    public bool CanEdit { get; private set; }
    public bool CanExport { get; private set; }
    /// <summary>May enrol (edit the child, its 残联 registration and assessments): the action links at the top.</summary>
    public bool CanEnrol { get; private set; }
    /// <summary>The school's coordinator may show the guardians' phones to call the family (audited); the bureau unmasks instead.</summary>
    public bool CanRevealPhones { get; private set; }
    public bool PhonesShown { get; private set; }
    public bool HasCurrentPlan { get; private set; }
    public List<PlanRow> Plans { get; } = [];
    public List<SessionRow> Sessions { get; } = [];
    public List<VisitDto> Visits { get; } = [];

    /// <summary>One session of the term as the inspector reads it: who came, when, the family's confirmation, photos, check-in, flags.</summary>
    public sealed record WeekLine(string SessionKey, string Date, string Time, string Who, string Outcome, string Confirmation, int Photos, string CheckIn, IReadOnlyList<string> Flags);

    public sealed record TermWeek(string Week, IReadOnlyList<WeekLine> Lines);

    /// <summary>The current term week by week, up to this week (issue 14: "one child's record, week by week").</summary>
    public List<TermWeek> Weeks { get; } = [];
    public string TermName { get; private set; } = "";

    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => ShowAsync(id, unmask: false, ct);

    public Task<IActionResult> OnPostUnmaskAsync(Guid id, CancellationToken ct) => ShowAsync(id, unmask: true, ct);

    public async Task<IActionResult> OnPostGuardiansAsync(Guid id, CancellationToken ct)
    {
        var shown = await ShowAsync(id, unmask: false, ct).ConfigureAwait(false);
        var phones = Student is null ? default : await people.GuardiansAsync(new StudentId(id), reveal: true, ct).ConfigureAwait(false);
        if (Student is not null && !phones.Refused(ModelState))
        {
            (Student, PhonesShown) = (Student with { Guardians = phones.Value }, true);
        }
        return shown;
    }

    public async Task<IActionResult> OnGetFileAsync(Guid id, string? format, CancellationToken ct)
    {
        var result = await files.ExportAsync(new StudentId(id), null, format, ct).ConfigureAwait(false);
        return result.Refusal?.Status switch
        {
            null => result.Value.ToPage(),
            StatusCodes.Status403Forbidden => Forbid(),
            _ => NotFound(),
        };
    }

    private async Task<IActionResult> ShowAsync(Guid id, bool unmask, CancellationToken ct)
    {
        // Teachers work from their week and the session pages, not from the roll.
        if (me.IsTeacher)
        {
            return Forbid();
        }
        var child = new StudentId(id);
        var result = await people.GetStudentAsync(child, unmask, ct).ConfigureAwait(false);
        if (result.Refusal is { Status: StatusCodes.Status403Forbidden })
        {
            // Not allowed to unmask: the message at the top, the child masked as usual.
            result.Refused(ModelState);
            result = await people.GetStudentAsync(child, unmask: false, ct).ConfigureAwait(false);
        }
        if (!result.Succeeded)
        {
            return NotFound();
        }
        Student = result.Value;
        Unmasked = unmask && ModelState.IsValid;
        await names.LoadAsync(me.CountyCode, ct).ConfigureAwait(false);
        School = names.School(Student.SchoolOfRecordId);
        Village = names.Village(Student.VillageCode);
        CanUnmask = me.May(Permission.Unmask);
        CanEdit = me.May(Permission.EditPlans);
        CanExport = me.May(Permission.ExportRecords);
        CanEnrol = me.May(Permission.Enrol);
        CanRevealPhones = me.IsCoordinator; // the bureau has the full unmask above

        var today = terms.Today;
        var termsById = (await terms.AllAsync(ct).ConfigureAwait(false)).ToDictionary(t => t.Id.Value);
        var mine = (await plans.ListAsync(null, child, null, ct).ConfigureAwait(false)).Value;
        foreach (var p in mine.OrderByDescending(p => termsById[p.TermId].FirstDay))
        {
            Plans.Add(new PlanRow(p.Id, termsById[p.TermId].Name, p.CurrentVersion, Zh.Of(p.Status)));
        }
        HasCurrentPlan = mine.Any(p => termsById[p.TermId].LastDay >= today);

        var published = db.Timetables.Where(t => t.CountyCode == me.CountyCode && t.Status == TimetableStatus.Published).Select(t => t.Id);
        var sessions = await db.Sessions.AsNoTracking().Where(s => published.Contains(s.TimetableId) && s.StudentId == child && s.Date >= today)
            .OrderBy(s => s.Date).ThenBy(s => s.Start).Take(UpcomingSessions).ToListAsync(ct).ConfigureAwait(false);
        // What each session came to, derived the one way (RecordFacts.StatusOf with the county's grace period).
        var grace = await db.Policies.AsNoTracking().Where(p => p.CountyCode == me.CountyCode).Select(p => (int?)p.MissedGraceHours).SingleOrDefaultAsync(ct).ConfigureAwait(false)
            ?? CountyPolicy.DefaultMissedGraceHours;
        var now = clock.GetUtcNow();
        Sessions.AddRange(sessions.Select(s => new SessionRow(Zh.Date(s.Date), $"{Zh.Time(s.Start)}–{Zh.Time(s.End)}", Zh.SessionMode(s.Mode),
            string.Join("、", s.StaffIds.Select(names.StaffMember)), SessionWords.Of(s, RecordFacts.StatusOf(s, now, grace)))));
        if ((await visits.ListAsync(child, null, null, null, ct).ConfigureAwait(false)) is { Succeeded: true } records)
        {
            Visits.AddRange(records.Value.OrderByDescending(v => v.Date));
        }
        await LoadWeeksAsync(child, published, now, grace, ct).ConfigureAwait(false);
        await LoadPathAsync(child, ct).ConfigureAwait(false);
        return Page();
    }

    /// <summary>
    /// The term's weeks up to this one: each published session of the child (the planned team when nothing is
    /// recorded yet) beside the latest version of its record, and records of sessions no longer in the timetable.
    /// </summary>
    private async Task LoadWeeksAsync(StudentId child, IQueryable<Guid> published, DateTimeOffset now, int grace, CancellationToken ct)
    {
        if (await terms.FindAsync(ct).ConfigureAwait(false) is not { } term)
        {
            return;
        }
        TermName = term.Name;
        var last = terms.Today < term.LastDay ? terms.Today.AddDays(7 - ((int)terms.Today.DayOfWeek + 6) % 7 - 1) : term.LastDay;
        var sessions = await db.Sessions.AsNoTracking().Where(s => published.Contains(s.TimetableId) && s.StudentId == child && s.Date >= term.FirstDay && s.Date <= last)
            .ToListAsync(ct).ConfigureAwait(false);
        var records = Visits.Where(v => v.Date >= term.FirstDay && v.Date <= last).GroupBy(v => v.SessionKey, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(v => v.Version)!, StringComparer.Ordinal);
        var lines = new List<(DateOnly Date, string Start, WeekLine Line)>();
        foreach (var s in sessions)
        {
            var record = records.GetValueOrDefault(s.SessionKey);
            lines.Add((s.Date, Zh.Time(s.Start), record is not null ? LineOf(record)
                : new WeekLine(s.SessionKey, Zh.Date(s.Date), $"{Zh.Time(s.Start)}–{Zh.Time(s.End)}", string.Join("、", s.StaffIds.Select(names.StaffMember)) + "（计划）",
                    SessionWords.Of(s, RecordFacts.StatusOf(s, now, grace)), "", 0, "", [])));
        }
        var planned = sessions.Select(s => s.SessionKey).ToHashSet(StringComparer.Ordinal);
        lines.AddRange(records.Values.Where(r => !planned.Contains(r.SessionKey)).Select(r => (r.Date, r.Start, LineOf(r))));
        foreach (var week in lines.GroupBy(l => TermCalendar.IsoWeekName(l.Date)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Weeks.Add(new TermWeek(Zh.Week(week.Key), [.. week.OrderBy(l => l.Date).ThenBy(l => l.Start, StringComparer.Ordinal).Select(l => l.Line)]));
        }
    }

    private WeekLine LineOf(VisitDto v) => new(
        v.SessionKey, Zh.Date(v.Date), $"{v.Start}–{v.End}",
        v.StaffPresent.Count > 0 ? string.Join("、", v.StaffPresent.Select(names.StaffMember)) : v.RecordedBy,
        (v.Missed ? "未送教" + (string.IsNullOrWhiteSpace(v.MissedReason) ? "" : "：" + v.MissedReason) : "已送教") + (v.Version > 1 ? $"（第{v.Version}版，已更正）" : ""),
        v.Missed ? "" : v.Confirmation switch
        {
            GuardianConfirmation.Signature => "✓签名",
            GuardianConfirmation.Code => "✓确认码",
            _ => "未确认",
        },
        v.PhotoIds?.Count ?? 0,
        v.CheckInAt is { } at ? $"{Zh.Time(TimeOnly.FromDateTime(Conventions.InChina(at)))} 签到" + (v.CheckInDistanceMeters is { } m ? $"，距家约 {m} 米" : "") : v.Missed ? "" : "未签到",
        [.. v.Flags.Select(f => Zh.VisitFlag(f) + (v.FlagDetails.TryGetValue(f, out var detail) ? "：" + detail : ""))]);

    // —— The child's path off the 送教 roster (issue 13 §4): the age warning, the exit form, the exits recorded. ——

    /// <summary>离开送教 as the form posts it; the last day as the browser's yyyy-MM-dd.</summary>
    public sealed class ExitForm
    {
        public ExitKind? Kind { get; set; }
        public string? LastDay { get; set; }
        public string? Reason { get; set; }
        public string? ToCountyCode { get; set; }
    }

    [BindProperty]
    public ExitForm Exit { get; set; } = new();

    /// <summary>Turning 16 before the end of the current term, from 30 days before the birthday.</summary>
    public AgeOutWarning? AgeOut { get; private set; }

    public bool CanRecordExit { get; private set; }

    public List<ExitDto> Exits { get; } = [];

    public async Task<IActionResult> OnPostExitAsync(Guid id, CancellationToken ct)
    {
        var result = await path.ExitAsync(new StudentId(id), new ExitRequest(Exit.Kind, FormFields.Date(Exit.LastDay), Exit.Reason, Exit.ToCountyCode), ct).ConfigureAwait(false);
        switch (result.Refusal?.Status)
        {
            case StatusCodes.Status404NotFound:
                return NotFound();
            case StatusCodes.Status403Forbidden:
                return Forbid();
        }
        if (result.Refused(ModelState, FormFields.Under(nameof(Exit))))
        {
            return await ShowAsync(id, unmask: false, ct).ConfigureAwait(false);
        }
        return RedirectToPage(new { id });
    }

    private async Task LoadPathAsync(StudentId child, CancellationToken ct)
    {
        AgeOut = await path.AgeOutOfAsync(Student!, await terms.FindAsync(ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        CanRecordExit = me.May(Permission.Enrol) && Student!.Status == StudentStatus.Enrolled;
        if (await path.ExitsAsync(child, ct).ConfigureAwait(false) is { Succeeded: true } exits)
        {
            Exits.AddRange(exits.Value);
        }
        // Turning 16: the form proposes the exit, last day the day before the birthday (or today, when that has passed).
        if (AgeOut is { } warning && Exit.Kind is null)
        {
            Exit.Kind = ExitKind.AgedOut;
            Exit.LastDay = FormFields.Date(warning.SuggestedLastDay);
        }
    }
}
