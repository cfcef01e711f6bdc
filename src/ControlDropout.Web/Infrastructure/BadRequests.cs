using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace ControlDropout.Web.Infrastructure;

/// <summary>
/// A request the framework cannot even bind — malformed or too deeply nested JSON, a wrong type, a
/// query value that is not a number or an id — answers 400 with the field it is about, in every
/// environment (Development used to turn these into 500s). Nothing of the request is logged.
/// </summary>
public sealed partial class BadRequests(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || httpContext.Response.HasStarted)
        {
            return false;
        }
        var (field, message) = Describe(bad);
        httpContext.Response.StatusCode = bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : StatusCodes.Status400BadRequest;
        var details = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = httpContext.Response.StatusCode,
            Title = httpContext.Response.StatusCode == StatusCodes.Status413PayloadTooLarge ? "请求内容过大" : "请求无法读取",
            Extensions =
            {
                ["code"] = httpContext.Response.StatusCode == StatusCodes.Status413PayloadTooLarge ? "too_large" : "unreadable_request",
                ["errors"] = new Dictionary<string, string[]> { [field] = [message] },
            },
        };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = null }).ConfigureAwait(false);
    }

    /// <summary>The field a binding failure is about, as a JSON path or a parameter name, and a message in Chinese.</summary>
    /// <remarks>The body itself (malformed, missing, empty) is the field <c>""</c>, as <see cref="Validation.Check{T}"/> names it.</remarks>
    public static (string Field, string Message) Describe(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            var path = JsonPath(json.Path);
            return (path, path.Length == 0 ? "请求体不是有效的 JSON" : "该字段的值类型不对或无法读取");
        }
        // "…from the request body as JSON", "…was not provided from body", "Implicit body inferred … but no body was provided".
        if (bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase))
        {
            return ("", "缺少请求体，或请求体无法读取");
        }
        if (ParameterName().Match(bad.Message) is { Success: true } match)
        {
            var name = match.Groups[1].Value;
            return (name, bad.Message.Contains("Required parameter", StringComparison.Ordinal) ? "缺少必填的参数" : "参数的值无法读取");
        }
        return ("", "请求无法读取");
    }

    /// <summary><c>$.plan.windows[0].day</c> → <c>plan.windows[0].day</c>; the root (<c>$</c>) → <c>""</c>.</summary>
    private static string JsonPath(string? path) => path switch
    {
        null or "$" => "",
        _ when path.StartsWith("$.", StringComparison.Ordinal) => path[2..],
        _ when path.StartsWith('$') => path[1..],
        _ => path,
    };

    /// <summary>Framework messages name the parameter as <c>"Type name"</c>: the last word is the name.</summary>
    [GeneratedRegex("parameter \"(?:[^\"]* )?([A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial Regex ParameterName();
}
