using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.People;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Plans;

/// <summary>A plan with its versions and opinions; the approver decides here, the coordinator edits and submits.</summary>
public sealed class DetailsModel(PlanWorkflow workflow, NameBook names, AppDbContext db, IAuthorizationService authorization) : PageModel
{
    public PlanDto? Plan { get; private set; }
    public string StudentName { get; private set; } = "";
    public string StudentFacts { get; private set; } = "";
    public string TermName { get; private set; } = "";
    public IReadOnlyDictionary<Guid, string> StaffNames => names.Staff;
    public List<string> Eligibility { get; } = [];
    public bool CanDecide { get; private set; }
    public bool CanEdit { get; private set; }

    [BindProperty]
    public string? Opinion { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public bool GradeNeedsException { get; private set; }

    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => ShowAsync(id, ct);

    public Task<IActionResult> OnPostApproveAsync(Guid id, string etag, CancellationToken ct) =>
        ActAsync(id, etag, "已批准", () => PlanEndpoints.Approve(id, new DecisionRequest(Opinion), User, workflow, HttpContext, ct), ct);

    public Task<IActionResult> OnPostRejectAsync(Guid id, string etag, CancellationToken ct) =>
        ActAsync(id, etag, "已退回", () => PlanEndpoints.Reject(id, new DecisionRequest(Opinion), User, workflow, HttpContext, ct), ct);

    public Task<IActionResult> OnPostActivateAsync(Guid id, string etag, CancellationToken ct) =>
        ActAsync(id, etag, "已启用", () => PlanEndpoints.Activate(id, User, workflow, HttpContext, ct), ct);

    public Task<IActionResult> OnPostGradeExceptionAsync(Guid id, string etag, CancellationToken ct) =>
        ActAsync(id, etag, "已登记等级例外", () => PlanEndpoints.RecordGradeException(id, new GradeExceptionRequest(Reason ?? ""), User, workflow, HttpContext, ct), ct);

    public Task<IActionResult> OnPostSubmitAsync(Guid id, string etag, CancellationToken ct) =>
        ActAsync(id, etag, "已提交审批", () => PlanEndpoints.Submit(id, User, workflow, HttpContext, ct), ct);

    /// <summary>
    /// The form carries the version it was shown (its ETag), so that a decision on a plan someone
    /// changed meanwhile is refused, exactly as the API refuses a stale If-Match.
    /// </summary>
    private async Task<IActionResult> ActAsync<T>(Guid id, string etag, string done, Func<Task<T>> act, CancellationToken ct) where T : IResult
    {
        Request.Headers.IfMatch = etag;
        var result = await act().ConfigureAwait(false);
        if (Outcome.Refused(result, ModelState, key => key switch { "opinion" => nameof(Opinion), "reason" => nameof(Reason), _ => "" }))
        {
            return await ShowAsync(id, ct).ConfigureAwait(false);
        }
        TempData["Done"] = done;
        return Redirect($"/plans/{id}");
    }

    private async Task<IActionResult> ShowAsync(Guid id, CancellationToken ct)
    {
        var caller = Caller.From(User);
        if ((await PlanEndpoints.Get(id, User, workflow, HttpContext, ct).ConfigureAwait(false)).Result is not Microsoft.AspNetCore.Http.HttpResults.Ok<PlanDto> ok)
        {
            return NotFound();
        }
        Plan = ok.Value!;
        await names.LoadAsync(caller.CountyCode, ct).ConfigureAwait(false);
        var student = Outcome.Value<StudentDto>((await PeopleEndpoints.GetStudent(Plan.StudentId, false, User, db, ct).ConfigureAwait(false)).Result);
        StudentName = names.Student(Plan.StudentId);
        if (student is not null)
        {
            StudentFacts = $"{student.Gender}，{student.BirthDate.Year}年生，{Zh.Of(student.DisabilityCategory)}{Zh.Grade(student.DisabilityGrade)}，{names.School(student.SchoolOfRecordId)}";
        }
        TermName = await db.Terms.Where(t => t.Id == new TermId(Plan.TermId)).Select(t => t.Name).SingleAsync(ct).ConfigureAwait(false);
        var entity = await workflow.Visible(caller).AsNoTracking().SingleAsync(p => p.Id == new PlanId(id), ct).ConfigureAwait(false);
        var failed = await workflow.EligibilityAsync(entity, PlanWorkflow.Current(entity), ct).ConfigureAwait(false);
        Eligibility.AddRange(failed.Select(e => e.Message));
        GradeNeedsException = failed.Any(e => e.Code == "disability_grade");
        CanDecide = (await authorization.AuthorizeAsync(User, Policies.ApprovePlans).ConfigureAwait(false)).Succeeded;
        CanEdit = (await authorization.AuthorizeAsync(User, Policies.EditPlans).ConfigureAwait(false)).Succeeded;
        return Page();
    }
}
