using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Policy;

/// <summary>The county's 送教 policy over HTTP: read by every role, written by those who manage the county.</summary>
public static class PolicyEndpoints
{
    public static IEndpointRouteBuilder MapPolicy(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/policy").WithTags("Policy");
        group.MapGet("/", async (CountyPolicies policies, CancellationToken ct) => (await policies.GetAsync(ct).ConfigureAwait(false)).ToOk());
        group.MapPut("/", async (PolicyDto request, CountyPolicies policies, CancellationToken ct) => (await policies.PutAsync(request, ct).ConfigureAwait(false)).ToOk())
            .RequireAuthorization(p => p.RequireRole(Permissions.RolesWith(Permission.ManageCounty)));
        return app;
    }
}
