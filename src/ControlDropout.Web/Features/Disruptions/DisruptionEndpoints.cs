using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Disruptions;

/// <summary>请假 and 停课 over HTTP; the rules are in <see cref="LeaveAndClosures"/>.</summary>
public static class DisruptionEndpoints
{
    public static IEndpointRouteBuilder MapLeave(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/staff").WithTags("Staff")
            .MapPost("/{id:guid}/leave", async (Guid id, LeaveRequest request, LeaveAndClosures disruptions, CancellationToken ct) =>
                (await disruptions.RecordLeaveAsync(new StaffId(id), request, ct).ConfigureAwait(false)).ToCreated(r => $"/api/staff/{id}/leave/{r.LeaveId}"))
            .RequireAuthorization(p => p.RequireRole(Permissions.RolesWith(Permission.RecordLeave)));
        return app;
    }

    /// <summary>Closures live under their term's address, as they always have.</summary>
    public static IEndpointRouteBuilder MapClosures(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/terms").WithTags("Terms");
        group.MapGet("/{id:guid}/closures", async (Guid id, LeaveAndClosures disruptions, CancellationToken ct) =>
            (await disruptions.ClosuresAsync(new TermId(id), ct).ConfigureAwait(false)).ToOk());
        group.MapPost("/{id:guid}/closures", async (Guid id, ClosureRequest request, LeaveAndClosures disruptions, CancellationToken ct) =>
                (await disruptions.AddClosureAsync(new TermId(id), request, ct).ConfigureAwait(false)).ToCreated(_ => $"/api/terms/{id}/closures"))
            .RequireAuthorization(p => p.RequireRole(Permissions.RolesWith(Permission.RecordClosures)));
        return app;
    }
}
