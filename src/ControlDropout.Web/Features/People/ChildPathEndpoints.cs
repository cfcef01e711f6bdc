using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.People;

/// <summary>A child's path off the roster and the transfers between counties: routes onto <see cref="ChildPath"/>.</summary>
public static class ChildPathEndpoints
{
    public static IEndpointRouteBuilder MapChildPath(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/students/{id:guid}/exit", async (Guid id, ExitRequest request, ChildPath path, CancellationToken ct) =>
            (await path.ExitAsync(new StudentId(id), request, ct).ConfigureAwait(false)).ToOk())
            .WithTags("Students").RequireAuthorization(Fence(Permission.Enrol));
        app.MapGet("/api/students/{id:guid}/exits", async (Guid id, ChildPath path, CancellationToken ct) =>
            (await path.ExitsAsync(new StudentId(id), ct).ConfigureAwait(false)).ToOk())
            .WithTags("Students");

        var transfers = app.MapGroup("/api/transfers").WithTags("Transfers").RequireAuthorization(Fence(Permission.ReceiveTransfers));
        transfers.MapGet("/", async (ChildPath path, CancellationToken ct) =>
            (await path.TransfersAsync(ct).ConfigureAwait(false)).ToOk());
        transfers.MapPost("/{id:guid}/acknowledge", async (Guid id, ChildPath path, CancellationToken ct) =>
            (await path.AcknowledgeAsync(id, ct).ConfigureAwait(false)).ToOk());
        return app;
    }

    /// <summary>The route's second fence, from the same permission table the use cases ask.</summary>
    private static Action<Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder> Fence(Permission permission) =>
        p => p.RequireRole(Permissions.RolesWith(permission));
}
