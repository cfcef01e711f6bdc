using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.TeachingFile;

/// <summary>A child's teaching file (送教档案) over HTTP: xlsx as a download, html as a page to print.</summary>
public static class TeachingFileEndpoints
{
    public static IEndpointRouteBuilder MapTeachingFile(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/students/{id:guid}/teaching-file", async (Guid id, Guid? termId, string? format, TeachingFiles files, CancellationToken ct) =>
                (await files.ExportAsync(new StudentId(id), termId, format, ct).ConfigureAwait(false)).ToHttp(f => f.ToHttp()))
            .WithTags("Teaching file").RequireAuthorization(p => p.RequireRole(Permissions.RolesWith(Permission.ExportRecords)));
        return app;
    }
}
