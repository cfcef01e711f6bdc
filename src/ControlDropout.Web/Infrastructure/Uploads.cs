using Microsoft.AspNetCore.Http.Features;

namespace ControlDropout.Web.Infrastructure;

/// <summary>A file sent as the form field <c>file</c>: its bytes and the name the sender gave it (never trusted for its type).</summary>
public sealed record Upload(byte[] Content, string FileName);

/// <summary>
/// Reading one uploaded file through the API, within its own limit: every other request is held to
/// <see cref="ApiSetup.MaxRequestBodyBytes"/>, but a roster or a scanned report may be larger. A file over
/// the limit, a body that is not a form or a form that cannot be read is a refusal naming <c>file</c>, never a 500.
/// </summary>
public static class Uploads
{
    /// <summary>What a multipart form carries around its file (boundaries, headers, other fields).</summary>
    public const long MultipartOverheadBytes = 256 * 1024;

    public const string Field = "file";

    public static async Task<Result<Upload>> ReadAsync(HttpRequest request, long maxFileBytes, Refusal tooLarge, string missing, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var maxRequestBytes = maxFileBytes + MultipartOverheadBytes;
        if (request.ContentLength > maxRequestBytes)
        {
            return tooLarge;
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = maxRequestBytes;
        }
        if (!request.HasFormContentType)
        {
            return Refusal.Invalid(Field, "请以表单（multipart/form-data）上传文件，字段名为 file");
        }
        IFormCollection form;
        try
        {
            request.HttpContext.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions { MultipartBodyLengthLimit = maxRequestBytes }));
            form = await request.ReadFormAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } || e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)
                ? tooLarge
                : Refusal.Invalid(Field, "上传的表单无法读取");
        }
        if (form.Files.GetFile(Field) is not { } file)
        {
            return Refusal.Invalid(Field, missing);
        }
        if (file.Length > maxFileBytes)
        {
            return tooLarge;
        }
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct).ConfigureAwait(false);
        return new Upload(buffer.ToArray(), file.FileName);
    }
}
