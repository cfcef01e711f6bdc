using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Http.Features;

namespace ControlDropout.Web.Features.Imports;

/// <summary>Routes onto <see cref="RosterImport"/> and <see cref="RosterTemplates"/>, and the feature's services.</summary>
public static class ImportEndpoints
{
    /// <summary>The request may carry a 5 MB file and the form around it; a larger file is refused in Chinese.</summary>
    public const long MaxRequestBytes = SheetReader.MaxFileBytes + 256 * 1024;

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
        var upload = await ReadUploadAsync(request, ct).ConfigureAwait(false);
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

    /// <summary>The uploaded file (form field <c>file</c>), read within the 5 MB limit whatever the server-wide limit is.</summary>
    public static async Task<Result<(byte[] Content, string FileName)>> ReadUploadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxRequestBytes)
        {
            return SheetReader.TooLarge();
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = MaxRequestBytes;
        }
        if (!request.HasFormContentType)
        {
            return Refusal.Invalid("file", "请以表单（multipart/form-data）上传文件，字段名为 file");
        }
        IFormCollection form;
        try
        {
            request.HttpContext.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions { MultipartBodyLengthLimit = MaxRequestBytes }));
            form = await request.ReadFormAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } || e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)
                ? SheetReader.TooLarge()
                : Refusal.Invalid("file", "上传的表单无法读取");
        }
        if (form.Files.GetFile("file") is not { } file)
        {
            return Refusal.Invalid("file", "请选择要导入的文件（字段名 file）");
        }
        if (file.Length > SheetReader.MaxFileBytes)
        {
            return SheetReader.TooLarge();
        }
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct).ConfigureAwait(false);
        return (buffer.ToArray(), file.FileName);
    }
}
