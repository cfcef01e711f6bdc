using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Timetables;

/// <summary>Timetable runs (background solves), the draft timetables they produce, and publishing. The rules are in <see cref="TimetableRuns"/> and <see cref="TimetableReview"/>.</summary>
public static class TimetableEndpoints
{
    public static IEndpointRouteBuilder MapTimetables(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/timetables").WithTags("Timetables");
        // The route policy is the second fence; the use case checks the permission first.
        var manage = Permissions.RolesWith(Permission.ManageCounty);
        group.MapPost("/runs", async (StartRunRequest request, TimetableRuns runs, CancellationToken ct) =>
                (await runs.StartAsync(new TermId(request.TermId), ct).ConfigureAwait(false)).ToHttp(run => TypedResults.Accepted($"/api/timetables/runs/{run.Id}", run)))
            .Produces<RunDto>(StatusCodes.Status202Accepted).RequireAuthorization(p => p.RequireRole(manage));
        group.MapGet("/runs/{id:guid}", async (Guid id, TimetableRuns runs, CancellationToken ct) => (await runs.GetAsync(id, ct).ConfigureAwait(false)).ToOk());
        group.MapPost("/runs/{id:guid}/cancel", async (Guid id, TimetableRuns runs, CancellationToken ct) => (await runs.CancelAsync(id, ct).ConfigureAwait(false)).ToOk())
            .RequireAuthorization(p => p.RequireRole(manage));
        group.MapGet("/", async (Guid? termId, TimetableReview review, CancellationToken ct) =>
            (await review.ListAsync(termId is { } t ? new TermId(t) : null, ct).ConfigureAwait(false)).ToOk());
        group.MapGet("/{id:guid}", async (Guid id, TimetableReview review, CancellationToken ct) => (await review.GetAsync(id, ct).ConfigureAwait(false)).ToOk());
        group.MapGet("/{id:guid}/sessions", async (Guid id, string? week, TimetableReview review, CancellationToken ct) =>
            (await review.SessionsAsync(id, week, ct).ConfigureAwait(false)).ToOk());
        group.MapPost("/{id:guid}/unassigned/{studentId:guid}/acknowledge", async (Guid id, Guid studentId, AcknowledgeRequest request, TimetableReview review, CancellationToken ct) =>
                (await review.AcknowledgeAsync(id, new StudentId(studentId), request.Note, ct).ConfigureAwait(false)).ToOk())
            .RequireAuthorization(p => p.RequireRole(manage));
        group.MapPost("/{id:guid}/publish", async (Guid id, PublishRequest? request, TimetableReview review, CancellationToken ct) =>
                (await review.PublishAsync(id, request?.EffectiveFrom, ct).ConfigureAwait(false)).ToOk())
            .RequireAuthorization(p => p.RequireRole(manage));
        group.MapGet("/{id:guid}/changes", async (Guid id, TimetableReview review, CancellationToken ct) => (await review.ChangesAsync(id, ct).ConfigureAwait(false)).ToOk());
        // A remote session's own meeting link (the plan's is the default).
        app.MapPut("/api/sessions/{key}/meeting-link", async (string key, MeetingLinkRequest request, SessionLinks links, CancellationToken ct) =>
                (await links.SetAsync(key, request, ct).ConfigureAwait(false)).ToOk())
            .WithTags("Timetables").RequireAuthorization(p => p.RequireRole(SessionLinks.Roles));
        return app;
    }
}
