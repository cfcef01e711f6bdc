using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.People;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.Plans;

/// <summary>A plan with its versions and opinions; the approver decides here, the coordinator edits and submits.</summary>
public sealed class DetailsModel(PlanDecisions plans, PeopleDirectory people, NameBook names, CurrentUser me) : PageModel
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

    /// <summary>审批文号 the approver enters; left empty, the county's next number in sequence.</summary>
    [BindProperty]
    public string? ApprovalNo { get; set; }

    public bool GradeNeedsException { get; private set; }

    /// <summary>The days the plan is in force (生效), or null while it was never approved.</summary>
    public EffectiveSpan? Span { get; private set; }

    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => ShowAsync(id, ct);

    public Task<IActionResult> OnPostApproveAsync(Guid id, string? etag, CancellationToken ct) =>
        ActAsync(id, "已批准", plans.ApproveAsync(new PlanId(id), etag, Opinion, ApprovalNo, ct), ct);

    public Task<IActionResult> OnPostRejectAsync(Guid id, string? etag, CancellationToken ct) =>
        ActAsync(id, "已退回", plans.RejectAsync(new PlanId(id), etag, Opinion, ct), ct);

    public Task<IActionResult> OnPostActivateAsync(Guid id, string? etag, CancellationToken ct) =>
        ActAsync(id, "已启用", plans.ActivateAsync(new PlanId(id), etag, ct), ct);

    public Task<IActionResult> OnPostGradeExceptionAsync(Guid id, string? etag, CancellationToken ct) =>
        ActAsync(id, "已登记等级例外", plans.RecordGradeExceptionAsync(new PlanId(id), etag, Reason, ct), ct);

    public Task<IActionResult> OnPostSubmitAsync(Guid id, string? etag, CancellationToken ct) =>
        ActAsync(id, "已提交审批", plans.SubmitAsync(new PlanId(id), etag, ct), ct);

    /// <summary>
    /// The form carries the version it was shown (its ETag), so that a decision on a plan someone
    /// changed meanwhile is refused, exactly as the API refuses a stale If-Match. A role that may not
    /// take the step gets the page with the refusal and a 403.
    /// </summary>
    private async Task<IActionResult> ActAsync(Guid id, string done, Task<Result<PlanDto>> act, CancellationToken ct)
    {
        var result = await act.ConfigureAwait(false);
        if (result.Refusal is { Status: StatusCodes.Status404NotFound })
        {
            return NotFound();
        }
        if (result.Refused(ModelState, key => key switch { "opinion" => nameof(Opinion), "reason" => nameof(Reason), "approvalNo" => nameof(ApprovalNo), _ => "" }))
        {
            var page = await ShowAsync(id, ct).ConfigureAwait(false);
            if (page is PageResult shown)
            {
                shown.StatusCode = result.Refusal!.Status is StatusCodes.Status403Forbidden ? StatusCodes.Status403Forbidden : null;
            }
            return page;
        }
        TempData["Done"] = done;
        return Redirect($"/plans/{id}");
    }

    private async Task<IActionResult> ShowAsync(Guid id, CancellationToken ct)
    {
        var review = await plans.ReviewAsync(new PlanId(id), ct).ConfigureAwait(false);
        if (!review.Succeeded)
        {
            return NotFound();
        }
        Plan = review.Value.Plan;
        TermName = review.Value.TermName;
        Span = review.Value.Span;
        Eligibility.AddRange(review.Value.Ineligible.Select(e => e.Message));
        GradeNeedsException = review.Value.Ineligible.Any(e => e.Code == "disability_grade");
        await names.LoadAsync(me.CountyCode, ct).ConfigureAwait(false);
        StudentName = names.Student(Plan.StudentId);
        // A teacher named in a plan may read it without seeing the child's record: the facts stay empty then.
        var student = await people.GetStudentAsync(new StudentId(Plan.StudentId), unmask: false, ct).ConfigureAwait(false);
        if (student.Succeeded)
        {
            var s = student.Value;
            StudentFacts = $"{s.Gender}，{s.BirthDate.Year}年生，{Zh.Of(s.DisabilityCategory)}{Zh.Grade(s.DisabilityGrade)}，{names.School(s.SchoolOfRecordId)}";
        }
        CanDecide = me.May(Permission.DecidePlans);
        CanEdit = me.May(Permission.EditPlans);
        return Page();
    }
}
