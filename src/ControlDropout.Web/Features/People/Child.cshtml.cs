using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Plans;
using ControlDropout.Web.Features.TeachingFile;
using ControlDropout.Web.Features.Visits;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.People;

/// <summary>A child's page: identity (masked unless an approver asks, audited), assessments, plans, sessions and records.</summary>
public sealed class ChildModel(AppDbContext db, PlanWorkflow workflow, NameBook names, IAuthorizationService authorization, TimeProvider clock) : PageModel
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
    public bool HasCurrentPlan { get; private set; }
    public List<PlanRow> Plans { get; } = [];
    public List<SessionRow> Sessions { get; } = [];
    public List<VisitDto> Visits { get; } = [];

    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => ShowAsync(id, unmask: false, ct);

    public Task<IActionResult> OnPostUnmaskAsync(Guid id, CancellationToken ct) => ShowAsync(id, unmask: true, ct);

    public async Task<IActionResult> OnGetFileAsync(Guid id, string? format, CancellationToken ct)
    {
        if (!(await authorization.AuthorizeAsync(User, Policies.ExportLedger).ConfigureAwait(false)).Succeeded)
        {
            return Forbid();
        }
        var result = await TeachingFileEndpoints.Export(id, null, format, User, db, ct).ConfigureAwait(false);
        await result.ExecuteAsync(HttpContext).ConfigureAwait(false);
        return new EmptyResult();
    }

    private async Task<IActionResult> ShowAsync(Guid id, bool unmask, CancellationToken ct)
    {
        var caller = Caller.From(User);
        if (caller.Role == Roles.Teacher)
        {
            return Forbid();
        }
        var result = await PeopleEndpoints.GetStudent(id, unmask, User, db, ct).ConfigureAwait(false);
        if (Outcome.Refused(result, ModelState) && Outcome.Unwrap(result) is not Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult)
        {
            return NotFound();
        }
        Student = Outcome.Value<StudentDto>(result) ?? Outcome.Value<StudentDto>(await PeopleEndpoints.GetStudent(id, false, User, db, ct).ConfigureAwait(false));
        if (Student is null)
        {
            return NotFound();
        }
        Unmasked = unmask && ModelState.IsValid;
        await names.LoadAsync(caller.CountyCode, ct).ConfigureAwait(false);
        School = names.School(Student.SchoolOfRecordId);
        Village = names.Village(Student.VillageCode);
        CanUnmask = caller.Role is Roles.Approver or Roles.Admin;
        CanEdit = (await authorization.AuthorizeAsync(User, Policies.EditPlans).ConfigureAwait(false)).Succeeded;
        CanExport = (await authorization.AuthorizeAsync(User, Policies.ExportLedger).ConfigureAwait(false)).Succeeded;

        var today = Zh.Today(clock);
        var terms = await db.Terms.AsNoTracking().Where(t => t.CountyCode == caller.CountyCode).ToDictionaryAsync(t => t.Id, ct).ConfigureAwait(false);
        var plans = await workflow.Visible(caller).AsNoTracking().Where(p => p.StudentId == new StudentId(id)).ToListAsync(ct).ConfigureAwait(false);
        foreach (var p in plans.OrderByDescending(p => terms[p.TermId].FirstDay))
        {
            var current = PlanWorkflow.Current(p);
            Plans.Add(new PlanRow(p.Id.Value, terms[p.TermId].Name, current.Number, Zh.Of(current.Status)));
        }
        HasCurrentPlan = plans.Any(p => terms[p.TermId].LastDay >= today);

        var published = db.Timetables.Where(t => t.CountyCode == caller.CountyCode && t.Status == TimetableStatus.Published).Select(t => t.Id);
        var sessions = await db.Sessions.AsNoTracking().Where(s => published.Contains(s.TimetableId) && s.StudentId == new StudentId(id) && s.Date >= today)
            .OrderBy(s => s.Date).ThenBy(s => s.Start).Take(UpcomingSessions).ToListAsync(ct).ConfigureAwait(false);
        Sessions.AddRange(sessions.Select(s => new SessionRow(Zh.Date(s.Date), $"{Zh.Time(s.Start)}–{Zh.Time(s.End)}", Zh.SessionMode(s.Mode),
            string.Join("、", s.StaffIds.Select(names.StaffMember)), Zh.Of(s.Status))));
        Visits.AddRange((await VisitEndpoints.List(id, null, null, null, User, db, ct).ConfigureAwait(false)).Value!.OrderByDescending(v => v.Date));
        return Page();
    }
}
