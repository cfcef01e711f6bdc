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
        group.MapGet("/{id:guid}/signature", async (Guid id, VisitRecords visits, CancellationToken ct) =>
            (await visits.SignatureAsync(id, ct).ConfigureAwait(false)).ToHttp(svg => Results.Text(svg, "image/svg+xml")));
        return app;
    }
}
