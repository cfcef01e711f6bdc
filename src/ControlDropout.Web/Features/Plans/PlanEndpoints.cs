using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace ControlDropout.Web.Features.Plans;

/// <summary>个性化送教方案 and their approval (提前审批): routes onto <see cref="PlanDecisions"/>, which decides who may do what.</summary>
public static class PlanEndpoints
{
    public static IEndpointRouteBuilder MapPlans(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/plans").WithTags("Plans");
        group.MapGet("/", (PlanStatus? status, PlanDecisions d, CancellationToken ct) =>
            Answer(d.ListAsync(status, null, null, ct)));
        group.MapGet("/{id:guid}", (Guid id, PlanDecisions d, HttpContext http, CancellationToken ct) =>
            Tagged(d.GetAsync(new PlanId(id), ct), http));
        group.MapPost("/", (CreatePlanRequest request, PlanDecisions d, HttpContext http, CancellationToken ct) =>
            Created(d.CreateAsync(request, ct), http)).RequireAuthorization(Fence(Permission.EditPlans));
        group.MapPut("/{id:guid}", (Guid id, PlanContent content, [FromHeader(Name = "If-Match")] string? ifMatch, PlanDecisions d, HttpContext http, CancellationToken ct) =>
            Tagged(d.UpdateAsync(new PlanId(id), ifMatch, content, ct), http)).RequireAuthorization(Fence(Permission.EditPlans));
        group.MapPost("/{id:guid}/submit", (Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, PlanDecisions d, HttpContext http, CancellationToken ct) =>
            Tagged(d.SubmitAsync(new PlanId(id), ifMatch, ct), http)).RequireAuthorization(Fence(Permission.EditPlans));
        group.MapPost("/{id:guid}/grade-exception", (Guid id, GradeExceptionRequest r, [FromHeader(Name = "If-Match")] string? ifMatch, PlanDecisions d, HttpContext http, CancellationToken ct) =>
            Tagged(d.RecordGradeExceptionAsync(new PlanId(id), ifMatch, r.Reason, ct), http)).RequireAuthorization(Fence(Permission.DecidePlans));
        group.MapPost("/{id:guid}/approve", (Guid id, DecisionRequest r, [FromHeader(Name = "If-Match")] string? ifMatch, PlanDecisions d, HttpContext http, CancellationToken ct) =>
            Tagged(d.ApproveAsync(new PlanId(id), ifMatch, r.Opinion, r.ApprovalNo, ct), http)).RequireAuthorization(Fence(Permission.DecidePlans));
        group.MapPost("/{id:guid}/reject", (Guid id, DecisionRequest r, [FromHeader(Name = "If-Match")] string? ifMatch, PlanDecisions d, HttpContext http, CancellationToken ct) =>
            Tagged(d.RejectAsync(new PlanId(id), ifMatch, r.Opinion, ct), http)).RequireAuthorization(Fence(Permission.DecidePlans));
        group.MapPost("/{id:guid}/activate", (Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, PlanDecisions d, HttpContext http, CancellationToken ct) =>
            Tagged(d.ActivateAsync(new PlanId(id), ifMatch, ct), http)).RequireAuthorization(Fence(Permission.DecidePlans));
        group.MapPost("/{id:guid}/close", (Guid id, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] CloseRequest? r,
            [FromHeader(Name = "If-Match")] string? ifMatch, PlanDecisions d, HttpContext http, CancellationToken ct) =>
            Tagged(d.CloseAsync(new PlanId(id), ifMatch, ct, r?.Reason), http)).RequireAuthorization(Fence(Permission.DecidePlans));
        return app;
    }

    /// <summary>The route's second fence, from the same permission table the use cases ask.</summary>
    private static Action<Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder> Fence(Permission permission) =>
        p => p.RequireRole(Permissions.RolesWith(permission));

    private static async Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> Answer<T>(Task<Result<T>> work) =>
        (await work.ConfigureAwait(false)).ToOk();

    /// <summary>A plan answered with its ETag, which the next change must send back as If-Match.</summary>
    private static async Task<Results<Ok<PlanDto>, ValidationProblem, ProblemHttpResult>> Tagged(Task<Result<PlanDto>> work, HttpContext http)
    {
        var result = await work.ConfigureAwait(false);
        if (result.Succeeded)
        {
            http.Response.Headers.ETag = result.Value.ETag;
        }
        return result.ToOk();
    }

    private static async Task<Results<Created<PlanDto>, ValidationProblem, ProblemHttpResult>> Created(Task<Result<PlanDto>> work, HttpContext http)
    {
        var result = await work.ConfigureAwait(false);
        if (result.Succeeded)
        {
            http.Response.Headers.ETag = result.Value.ETag;
        }
        return result.ToCreated(plan => $"/api/plans/{plan.Id}");
    }
}
