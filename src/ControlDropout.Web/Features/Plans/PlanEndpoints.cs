using System.Security.Claims;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Plans;

/// <summary>个性化送教方案 and their approval (提前审批).</summary>
public static class PlanEndpoints
{
    public static IEndpointRouteBuilder MapPlans(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/plans").WithTags("Plans");
        group.MapGet("/", List);
        group.MapGet("/{id:guid}", Get);
        group.MapPost("/", Create).RequireAuthorization(Policies.EditPlans);
        group.MapPut("/{id:guid}", Update).RequireAuthorization(Policies.EditPlans);
        group.MapPost("/{id:guid}/submit", Submit).RequireAuthorization(Policies.EditPlans);
        group.MapPost("/{id:guid}/grade-exception", RecordGradeException).RequireAuthorization(Policies.ApprovePlans);
        group.MapPost("/{id:guid}/approve", Approve).RequireAuthorization(Policies.ApprovePlans);
        group.MapPost("/{id:guid}/reject", Reject).RequireAuthorization(Policies.ApprovePlans);
        group.MapPost("/{id:guid}/activate", Activate).RequireAuthorization(Policies.ApprovePlans);
        group.MapPost("/{id:guid}/close", Close).RequireAuthorization(Policies.ApprovePlans);
        return app;
    }

    public static async Task<Ok<List<PlanSummaryDto>>> List(ClaimsPrincipal user, PlanWorkflow workflow, PlanStatus? status, CancellationToken ct)
    {
        var plans = await workflow.Visible(Caller.From(user)).AsNoTracking().ToListAsync(ct).ConfigureAwait(false);
        var summaries = plans
            .Select(p => (Plan: p, Current: PlanWorkflow.Current(p)))
            .Where(x => status is null || x.Current.Status == status)
            .Select(x => new PlanSummaryDto(x.Plan.Id.Value, x.Plan.StudentId.Value, x.Plan.TermId.Value, x.Current.Status, x.Current.Number))
            .ToList();
        return TypedResults.Ok(summaries);
    }

    public static async Task<Results<Ok<PlanDto>, NotFound>> Get(Guid id, ClaimsPrincipal user, PlanWorkflow workflow, HttpContext http, CancellationToken ct)
    {
        var plan = await workflow.Visible(Caller.From(user)).AsNoTracking().SingleOrDefaultAsync(p => p.Id == new PlanId(id), ct).ConfigureAwait(false);
        return plan is null ? TypedResults.NotFound() : Respond(plan, http);
    }

    public static async Task<Results<Created<PlanDto>, NotFound, ValidationProblem, ProblemHttpResult>> Create(
        CreatePlanRequest request, ClaimsPrincipal user, PlanWorkflow workflow, HttpContext http, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var db = workflow.Db;
        var student = await db.Students.SingleOrDefaultAsync(s => s.Id == new StudentId(request.StudentId) && s.CountyCode == caller.CountyCode, ct).ConfigureAwait(false);
        if (student is null || (caller.Role == Roles.Coordinator && student.SchoolOfRecordId != caller.SchoolId))
        {
            return TypedResults.NotFound();
        }
        var term = await db.Terms.SingleOrDefaultAsync(t => t.Id == new TermId(request.TermId) && t.CountyCode == caller.CountyCode, ct).ConfigureAwait(false);
        if (term is null)
        {
            return TypedResults.NotFound();
        }
        if (Invalid(PlanWorkflow.Validate(request.Plan, await workflow.PolicyAsync(caller.CountyCode, ct).ConfigureAwait(false))) is { } invalid)
        {
            return invalid;
        }
        if (await db.Plans.AnyAsync(p => p.StudentId == student.Id && p.TermId == term.Id, ct).ConfigureAwait(false))
        {
            return Problems.Conflict("plan_exists", "该学生本学期已有送教方案，请修改原方案");
        }
        var plan = new Plan { Id = PlanId.New(), StudentId = student.Id, TermId = term.Id, CountyCode = caller.CountyCode, SchoolId = student.SchoolOfRecordId };
        var version = new PlanVersion { PlanId = plan.Id, Number = 1, CreatedBy = caller.UserName, CreatedAt = workflow.Now };
        PlanWorkflow.Apply(version, request.Plan);
        plan.Versions.Add(version);
        db.Plans.Add(plan);
        await workflow.SaveAsync(ct).ConfigureAwait(false);
        http.Response.Headers.ETag = PlanWorkflow.ETagOf(plan);
        return TypedResults.Created($"/api/plans/{plan.Id}", ToDto(plan));
    }

    public static Task<Results<Ok<PlanDto>, NotFound, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, PlanContent content, ClaimsPrincipal user, PlanWorkflow workflow, HttpContext http, CancellationToken ct) =>
        Transition(id, user, workflow, http, async (caller, plan, current) =>
        {
            if (Invalid(PlanWorkflow.Validate(content, await workflow.PolicyAsync(caller.CountyCode, ct).ConfigureAwait(false))) is { } invalid)
            {
                return invalid;
            }
            switch (current.Status)
            {
                case PlanStatus.Draft:
                    PlanWorkflow.Apply(current, content);
                    return null;
                case PlanStatus.Submitted:
                    return Problems.Conflict("awaiting_decision", "方案已提交待审批，审批前不能修改");
                case PlanStatus.Closed:
                    return Problems.Conflict("plan_closed", "方案已关闭，不能修改");
                default:
                    // An approved or rejected version stays as it was decided: the change is a new version.
                    var next = new PlanVersion { PlanId = plan.Id, Number = current.Number + 1, CreatedBy = caller.UserName, CreatedAt = workflow.Now };
                    PlanWorkflow.Apply(next, content);
                    plan.Versions.Add(next);
                    workflow.Db.PlanVersions.Add(next);
                    return null;
            }
        }, ct);

    public static Task<Results<Ok<PlanDto>, NotFound, ValidationProblem, ProblemHttpResult>> Submit(
        Guid id, ClaimsPrincipal user, PlanWorkflow workflow, HttpContext http, CancellationToken ct) =>
        Transition(id, user, workflow, http, async (caller, plan, current) =>
        {
            if (current.Status != PlanStatus.Draft)
            {
                return Problems.Conflict("not_a_draft", "只有草稿可以提交审批");
            }
            var failed = await workflow.EligibilityAsync(plan, current, ct).ConfigureAwait(false);
            if (failed.Count > 0)
            {
                return Problems.Status(StatusCodes.Status422UnprocessableEntity, "not_eligible", "不符合送教上门条件", failed);
            }
            current.Status = PlanStatus.Submitted;
            current.SubmittedBy = caller.UserName;
            current.SubmittedAt = workflow.Now;
            return null;
        }, ct);

    public static Task<Results<Ok<PlanDto>, NotFound, ValidationProblem, ProblemHttpResult>> RecordGradeException(
        Guid id, GradeExceptionRequest request, ClaimsPrincipal user, PlanWorkflow workflow, HttpContext http, CancellationToken ct) =>
        Transition(id, user, workflow, http, (caller, plan, current) =>
        {
            if (string.IsNullOrWhiteSpace(request.Reason))
            {
                return Task.FromResult<IResult?>(TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["请填写例外理由"] }));
            }
            if (current.Status != PlanStatus.Draft)
            {
                return Task.FromResult<IResult?>(Problems.Conflict("not_a_draft", "只能为草稿登记例外"));
            }
            current.GradeException = $"{request.Reason.Trim()}（{caller.UserName} 登记）";
            return Task.FromResult<IResult?>(null);
        }, ct);

    public static Task<Results<Ok<PlanDto>, NotFound, ValidationProblem, ProblemHttpResult>> Approve(
        Guid id, DecisionRequest request, ClaimsPrincipal user, PlanWorkflow workflow, HttpContext http, CancellationToken ct) =>
        Decide(id, request, approve: true, user, workflow, http, ct);

    public static Task<Results<Ok<PlanDto>, NotFound, ValidationProblem, ProblemHttpResult>> Reject(
        Guid id, DecisionRequest request, ClaimsPrincipal user, PlanWorkflow workflow, HttpContext http, CancellationToken ct) =>
        Decide(id, request, approve: false, user, workflow, http, ct);

    private static Task<Results<Ok<PlanDto>, NotFound, ValidationProblem, ProblemHttpResult>> Decide(
        Guid id, DecisionRequest request, bool approve, ClaimsPrincipal user, PlanWorkflow workflow, HttpContext http, CancellationToken ct) =>
        Transition(id, user, workflow, http, (caller, plan, current) =>
        {
            IResult? problem = null;
            if (current.Status != PlanStatus.Submitted)
            {
                problem = Problems.Conflict("not_submitted", "方案不在待审批状态");
            }
            else if (current.SubmittedBy == caller.UserName)
            {
                problem = Problems.Forbidden("own_submission", "不能审批自己提交的方案");
            }
            else if (!approve && string.IsNullOrWhiteSpace(request.Opinion))
            {
                problem = TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["opinion"] = ["退回时须填写审批意见"] });
            }
            else
            {
                current.Status = approve ? PlanStatus.Approved : PlanStatus.Rejected;
                current.DecidedBy = caller.UserName;
                current.DecidedAt = workflow.Now;
                current.Opinion = request.Opinion?.Trim();
            }
            return Task.FromResult(problem);
        }, ct);

    public static Task<Results<Ok<PlanDto>, NotFound, ValidationProblem, ProblemHttpResult>> Activate(
        Guid id, ClaimsPrincipal user, PlanWorkflow workflow, HttpContext http, CancellationToken ct) =>
        Transition(id, user, workflow, http, (caller, plan, current) =>
        {
            if (current.Status != PlanStatus.Approved)
            {
                return Task.FromResult<IResult?>(Problems.Conflict("not_approved", "只有已审批的方案可以启用"));
            }
            // The version in force until now is superseded by the newly approved one.
            foreach (var older in plan.Versions.Where(v => v.Number < current.Number && v.Status is PlanStatus.Active or PlanStatus.Approved))
            {
                older.Status = PlanStatus.Closed;
                older.Revision++;
            }
            current.Status = PlanStatus.Active;
            return Task.FromResult<IResult?>(null);
        }, ct);

    public static Task<Results<Ok<PlanDto>, NotFound, ValidationProblem, ProblemHttpResult>> Close(
        Guid id, ClaimsPrincipal user, PlanWorkflow workflow, HttpContext http, CancellationToken ct) =>
        Transition(id, user, workflow, http, (caller, plan, current) =>
        {
            if (current.Status is not (PlanStatus.Active or PlanStatus.Approved))
            {
                return Task.FromResult<IResult?>(Problems.Conflict("not_in_force", "只有已审批或执行中的方案可以关闭"));
            }
            current.Status = PlanStatus.Closed;
            return Task.FromResult<IResult?>(null);
        }, ct);

    /// <summary>
    /// Loads a visible plan, insists on a matching If-Match, applies the change and saves with the
    /// version's revision as a concurrency token: of two decisions on one plan, exactly one wins.
    /// </summary>
    private static async Task<Results<Ok<PlanDto>, NotFound, ValidationProblem, ProblemHttpResult>> Transition(
        Guid id, ClaimsPrincipal user, PlanWorkflow workflow, HttpContext http,
        Func<Caller, Plan, PlanVersion, Task<IResult?>> change, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var plan = await workflow.Visible(caller).SingleOrDefaultAsync(p => p.Id == new PlanId(id), ct).ConfigureAwait(false);
        if (plan is null)
        {
            return TypedResults.NotFound();
        }
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrEmpty(ifMatch))
        {
            return Problems.PreconditionRequired();
        }
        if (ifMatch != PlanWorkflow.ETagOf(plan))
        {
            return Problems.PreconditionFailed();
        }
        var current = PlanWorkflow.Current(plan);
        var outcome = await change(caller, plan, current).ConfigureAwait(false);
        switch (outcome)
        {
            case ProblemHttpResult problem:
                return problem;
            case ValidationProblem validation:
                return validation;
        }
        current.Revision++;
        try
        {
            await workflow.SaveAsync(ct).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Another decision or edit committed first (revision or version number already taken).
            return Problems.PreconditionFailed();
        }
        return Respond(plan, http);
    }

    private static ValidationProblem? Invalid(IReadOnlyList<ApiError> errors) =>
        errors.Count == 0
            ? null
            : TypedResults.ValidationProblem(errors.GroupBy(e => e.Code).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));

    private static Ok<PlanDto> Respond(Plan plan, HttpContext http)
    {
        http.Response.Headers.ETag = PlanWorkflow.ETagOf(plan);
        return TypedResults.Ok(ToDto(plan));
    }

    private static PlanDto ToDto(Plan plan)
    {
        var current = PlanWorkflow.Current(plan);
        return new PlanDto(plan.Id.Value, plan.StudentId.Value, plan.TermId.Value, plan.SchoolId.Value, current.Status, current.Number, PlanWorkflow.ETagOf(plan),
            [.. plan.Versions.OrderBy(v => v.Number).Select(v => new PlanVersionDto(v.Number, v.Status,
                new PlanContent(v.CoursePlan, v.Content, v.Goals, v.Mode, v.HomeVisitsPerWeek, v.RemoteSessionsPerWeek, v.LessonsPerVisit,
                    [.. v.Windows.Select(w => new WindowDto(w.Day, w.From.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), w.To.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)))],
                    v.RequiredSkills, v.TeamSize, v.PreferredStaffIds),
                v.CreatedBy, v.CreatedAt, v.SubmittedBy, v.SubmittedAt, v.DecidedBy, v.DecidedAt, v.Opinion, v.GradeException))]);
    }
}
