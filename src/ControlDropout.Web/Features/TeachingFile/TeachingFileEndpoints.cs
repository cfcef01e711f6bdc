using System.Security.Claims;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.TeachingFile;

/// <summary>A child's teaching file (送教档案) over HTTP: xlsx as a download, html as a page to print.</summary>
public static class TeachingFileEndpoints
{
    public static IEndpointRouteBuilder MapTeachingFile(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/students/{id:guid}/teaching-file", async (Guid id, Guid? termId, string? format, TeachingFiles files, CancellationToken ct) =>
                (await files.ExportAsync(new StudentId(id), termId, format, ct).ConfigureAwait(false)).ToHttp(ToResult))
            .WithTags("Teaching file").RequireAuthorization(p => p.RequireRole(Permissions.RolesWith(Permission.ExportRecords)));
        return app;
    }

    private static IResult ToResult(Ledger.ExportFile file) => file.FileName.Length == 0
        ? Results.Bytes(file.Content, file.ContentType)
        : Results.File(file.Content, file.ContentType, file.FileName);

    /// <summary>
    /// Only for People/Child.cshtml.cs, which still calls this; the lead rewires that page to
    /// <see cref="TeachingFiles.ExportAsync"/> after merging, and this goes then. It runs the same use case.
    /// </summary>
    public static async Task<IResult> Export(Guid id, Guid? termId, string? format, ClaimsPrincipal user, AppDbContext db, CancellationToken ct)
    {
        var files = new TeachingFiles(db, new CurrentUser(new HttpContextAccessor { HttpContext = new DefaultHttpContext { User = user } }));
        return (await files.ExportAsync(new StudentId(id), termId, format, ct).ConfigureAwait(false)).ToHttp(ToResult);
    }
}
