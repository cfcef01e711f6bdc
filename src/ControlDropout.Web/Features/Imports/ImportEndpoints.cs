using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Imports;

/// <summary>Routes onto <see cref="RosterImport"/> and <see cref="RosterTemplates"/>, and the feature's services.</summary>
public static class ImportEndpoints
{
    /// <summary>The request may carry a 5 MB file and the form around it; a larger file is refused in Chinese.</summary>
    public const long MaxRequestBytes = SheetReader.MaxFileBytes + Uploads.MultipartOverheadBytes;

    public static WebApplicationBuilder AddImports(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<RosterImport>().AddScoped<RosterTemplates>().AddSingleton<CheckedUploads>();
        return builder;
    }

    public static IEndpointRouteBuilder MapImports(this IEndpointRouteBuilder app)
    {
        var imports = app.MapGroup("/api/imports").WithTags("Imports")
            .RequireAuthorization(p => p.RequireRole(Permissions.RolesWith(Permission.Enrol)));
        imports.MapGet("/templates/{kind}.xlsx", async (string kind, RosterTemplates templates, CancellationToken ct) =>
            (await templates.TemplateAsync(kind, ct).ConfigureAwait(false)).ToHttp(f => f.ToHttp()));
        // Bearer-authenticated: no cookie rides along, so no antiforgery token is asked for.
        imports.MapPost("/{kind}", UploadAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> UploadAsync(string kind, bool? dryRun, HttpRequest request, RosterImport import, CancellationToken ct)
    {
        var upload = await Uploads.ReadAsync(request, SheetReader.MaxFileBytes, SheetReader.TooLarge(), "请选择要导入的文件（字段名 file）", ct).ConfigureAwait(false);
        if (!upload.Succeeded)
        {
            return upload.Refusal!.ToHttpResult();
        }
        var result = await import.ImportAsync(kind, upload.Value.Content, upload.Value.FileName, commit: dryRun != true, ct).ConfigureAwait(false);
        return result.ToHttp(report => dryRun != true && report.Errors.Count > 0 ? Rejected(report) : TypedResults.Ok(report));
    }

    /// <summary>422 with the report's own shape (rows, valid, errors, creates, updates) and the code, as problem details.</summary>
    public static IResult Rejected(ImportReport report) => TypedResults.Problem(
        statusCode: StatusCodes.Status422UnprocessableEntity, title: "导入未执行：有错误的行，请改正后重新导入（没有保存任何记录）",
        extensions: new Dictionary<string, object?>
        {
            ["code"] = "import_rejected", ["rows"] = report.Rows, ["valid"] = report.Valid, ["errors"] = report.Errors,
            ["creates"] = report.Creates, ["updates"] = report.Updates, ["sha256"] = report.Sha256,
        });
}
