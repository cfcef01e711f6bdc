using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Visits;

/// <summary>送教照片 over HTTP: a session's team uploads, whoever may see the child reads.</summary>
public static class PhotoEndpoints
{
    public static IEndpointRouteBuilder MapVisitPhotos(this IEndpointRouteBuilder app)
    {
        // Multipart read by hand rather than bound as IFormFile: a bound file makes routing answer 415 before the
        // permission fence, and the reader lifts the 1 MB body limit to the photo's own (a bearer API needs no antiforgery).
        app.MapPost("/api/sessions/{key}/photos", async (string key, HttpRequest request, VisitPhotos photos, CancellationToken ct) =>
            {
                var upload = await Uploads.ReadAsync(request, VisitPhotos.MaxBytes, VisitPhotos.TooLarge, VisitPhotos.Missing, ct).ConfigureAwait(false);
                return (await photos.StoreAsync(key, upload, ct).ConfigureAwait(false)).ToCreated(p => $"/api/photos/{p.Id}");
            })
            .WithTags("Visits").DisableAntiforgery()
            .RequireAuthorization(p => p.RequireRole(Permissions.RolesWith(Permission.RecordVisits)));
        app.MapGet("/api/photos/{id:guid}", async (Guid id, HttpResponse response, VisitPhotos photos, CancellationToken ct) =>
            (await photos.OpenAsync(id, ct).ConfigureAwait(false)).ToHttp(f => Serve(response, f)))
            .WithTags("Visits")
            .RequireAuthorization(p => p.RequireRole([.. Permissions.RolesWith(Permission.RecordVisits).Union(Permissions.RolesWith(Permission.ReadCoverage))]));
        return app;
    }

    /// <summary>A photo names a child's home and face: no cache keeps it, no browser guesses another type for it.</summary>
    private static void NoStore(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.CacheControl = "private, no-store";
        response.Headers.XContentTypeOptions = "nosniff";
    }

    private static Microsoft.AspNetCore.Http.HttpResults.FileContentHttpResult Serve(HttpResponse response, PhotoFile file)
    {
        NoStore(response);
        return TypedResults.File(file.Content, file.ContentType);
    }
}
