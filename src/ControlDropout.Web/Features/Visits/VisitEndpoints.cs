using System.Security.Claims;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlDropout.Web.Features.Visits;

/// <summary>送教记录 over HTTP: record, correct, list.</summary>
public static class VisitEndpoints
{
    public static IEndpointRouteBuilder MapVisits(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/visits").WithTags("Visits");
        group.MapPost("/", async (VisitRequest request, VisitRecords visits, CancellationToken ct) =>
            (await visits.RecordAsync(request, ct).ConfigureAwait(false)).ToCreated(v => $"/api/visits/{v.Id}"));
        group.MapPut("/{id:guid}", async (Guid id, VisitRequest request, VisitRecords visits, CancellationToken ct) =>
            (await visits.CorrectAsync(id, request, ct).ConfigureAwait(false)).ToOk());
        group.MapGet("/", async (Guid? studentId, DateOnly? from, DateOnly? to, bool? flagged, VisitRecords visits, CancellationToken ct) =>
            (await visits.ListAsync(studentId is { } s ? new StudentId(s) : null, from, to, flagged, ct).ConfigureAwait(false)).ToOk());
        return app;
    }

    /// <summary>
    /// Only for People/Child.cshtml.cs, which still calls this; the lead rewires that page to
    /// <see cref="VisitRecords.ListAsync"/> after merging, and this goes then. It runs the same use case.
    /// </summary>
    public static async Task<Ok<List<VisitDto>>> List(Guid? studentId, DateOnly? from, DateOnly? to, bool? flagged, ClaimsPrincipal user, AppDbContext db, CancellationToken ct)
    {
        var me = new CurrentUser(new HttpContextAccessor { HttpContext = new DefaultHttpContext { User = user } });
        var result = await new VisitRecords(db, me, TimeProvider.System).ListAsync(studentId is { } s ? new StudentId(s) : null, from, to, flagged, ct).ConfigureAwait(false);
        return TypedResults.Ok(result.Succeeded ? result.Value : []);
    }
}
