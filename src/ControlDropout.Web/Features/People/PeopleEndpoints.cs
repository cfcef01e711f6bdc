using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.People;

/// <summary>The county's places, schools, staff and children: routes onto <see cref="PeopleDirectory"/> and <see cref="Enrolment"/>.</summary>
public static class PeopleEndpoints
{
    public static IEndpointRouteBuilder MapPeople(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/townships", async (PeopleDirectory people, CancellationToken ct) =>
            (await people.TownshipsAsync(ct).ConfigureAwait(false)).ToOk()).WithTags("Places");
        app.MapGet("/api/schools", async (PeopleDirectory people, CancellationToken ct) =>
            (await people.SchoolsAsync(ct).ConfigureAwait(false)).ToOk()).WithTags("Schools");

        var staff = app.MapGroup("/api/staff").WithTags("Staff");
        staff.MapGet("/", async (PeopleDirectory people, CancellationToken ct) =>
            (await people.ListStaffAsync(ct).ConfigureAwait(false)).ToOk()).RequireAuthorization(Fence(Permission.ListStaff));
        staff.MapGet("/me", async (PeopleDirectory people, CancellationToken ct) =>
            (await people.MyStaffRecordAsync(ct).ConfigureAwait(false)).ToOk());
        staff.MapPost("/", async (StaffRequest request, Enrolment enrolment, CancellationToken ct) =>
            (await enrolment.CreateStaffAsync(request, ct).ConfigureAwait(false)).ToCreated(s => $"/api/staff/{s.Id}")).RequireAuthorization(Fence(Permission.Enrol));
        staff.MapPut("/{id:guid}", async (Guid id, StaffRequest request, Enrolment enrolment, CancellationToken ct) =>
            (await enrolment.UpdateStaffAsync(new StaffId(id), request, ct).ConfigureAwait(false)).ToOk()).RequireAuthorization(Fence(Permission.Enrol));

        var students = app.MapGroup("/api/students").WithTags("Students");
        students.MapGet("/", async (PeopleDirectory people, CancellationToken ct) =>
            (await people.ListStudentsAsync(ct).ConfigureAwait(false)).ToOk());
        students.MapGet("/{id:guid}", async (Guid id, bool? unmask, PeopleDirectory people, CancellationToken ct) =>
            (await people.GetStudentAsync(new StudentId(id), unmask == true, ct).ConfigureAwait(false)).ToOk());
        students.MapPost("/", async (StudentRequest request, Enrolment enrolment, CancellationToken ct) =>
            (await enrolment.CreateStudentAsync(request, ct).ConfigureAwait(false)).ToCreated(s => $"/api/students/{s.Id}")).RequireAuthorization(Fence(Permission.Enrol));
        students.MapPut("/{id:guid}", async (Guid id, StudentRequest request, Enrolment enrolment, CancellationToken ct) =>
            (await enrolment.UpdateStudentAsync(new StudentId(id), request, ct).ConfigureAwait(false)).ToOk()).RequireAuthorization(Fence(Permission.Enrol));
        students.MapPut("/{id:guid}/registration", async (Guid id, RegistrationRequest request, Enrolment enrolment, CancellationToken ct) =>
            (await enrolment.RegisterDisabilityAsync(new StudentId(id), request, ct).ConfigureAwait(false)).ToOk()).RequireAuthorization(Fence(Permission.Enrol));
        students.MapPost("/{id:guid}/assessments", async (Guid id, AssessmentRequest request, Enrolment enrolment, CancellationToken ct) =>
            (await enrolment.AddAssessmentAsync(new StudentId(id), request, ct).ConfigureAwait(false)).ToCreated(s => $"/api/students/{s.Id}")).RequireAuthorization(Fence(Permission.RecordAssessments));
        students.MapPut("/{id:guid}/assessments/{assessmentId:guid}", async (Guid id, Guid assessmentId, AssessmentRequest request, Enrolment enrolment, CancellationToken ct) =>
            (await enrolment.UpdateAssessmentAsync(new StudentId(id), assessmentId, request, ct).ConfigureAwait(false)).ToOk()).RequireAuthorization(Fence(Permission.RecordAssessments));
        students.MapGet("/{id:guid}/guardians", async (Guid id, bool? reveal, PeopleDirectory people, CancellationToken ct) =>
            (await people.GuardiansAsync(new StudentId(id), reveal == true, ct).ConfigureAwait(false)).ToOk());
        // Multipart read by hand rather than bound as IFormFile: a bound file makes routing answer 415 before the
        // permission fence, and a bearer-token API needs no antiforgery token (the page posts its own).
        students.MapPost("/{id:guid}/assessments/{assessmentId:guid}/report", async (Guid id, Guid assessmentId, HttpRequest http, AssessmentReports reports, CancellationToken ct) =>
        {
            var upload = await Uploads.ReadAsync(http, AssessmentReports.MaxBytes, AssessmentReports.TooLargeRefusal, AssessmentReports.Missing, ct).ConfigureAwait(false);
            return (await reports.AttachAsync(new StudentId(id), assessmentId, upload, ct).ConfigureAwait(false)).ToHttp(TypedResults.Ok);
        }).DisableAntiforgery().RequireAuthorization(Fence(Permission.RecordAssessments));
        students.MapGet("/{id:guid}/assessments/{assessmentId:guid}/report", async (Guid id, Guid assessmentId, AssessmentReports reports, CancellationToken ct) =>
            (await reports.DownloadAsync(new StudentId(id), assessmentId, ct).ConfigureAwait(false)).ToHttp(f => TypedResults.File(f.Content, f.ContentType, f.FileName)));
        return app;
    }

    /// <summary>The route's second fence, from the same permission table the use cases ask.</summary>
    private static Action<Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder> Fence(Permission permission) =>
        p => p.RequireRole(Permissions.RolesWith(permission));
}
