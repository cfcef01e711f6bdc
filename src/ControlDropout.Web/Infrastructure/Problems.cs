using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlDropout.Web.Infrastructure;

/// <summary>A stable error code and a message for people (Chinese on pages, same text in the API).</summary>
public sealed record ApiError(string Code, string Message);

/// <summary>RFC 9457 problem responses with stable codes, so that clients branch on codes, not on prose.</summary>
public static class Problems
{
    public static ProblemHttpResult Status(int status, string code, string title, IReadOnlyList<ApiError>? errors = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (errors is { Count: > 0 })
        {
            extensions["errors"] = errors;
        }
        return TypedResults.Problem(title: title, statusCode: status, extensions: extensions);
    }

    public static ProblemHttpResult PreconditionRequired() =>
        Status(StatusCodes.Status428PreconditionRequired, "if_match_required", "请求必须带 If-Match 头（取自 ETag），以免覆盖他人的修改");

    public static ProblemHttpResult PreconditionFailed() =>
        Status(StatusCodes.Status412PreconditionFailed, "stale_version", "方案已被他人修改或审批，请刷新后重试");

    public static ProblemHttpResult Conflict(string code, string title) => Status(StatusCodes.Status409Conflict, code, title);

    public static ProblemHttpResult Forbidden(string code, string title) => Status(StatusCodes.Status403Forbidden, code, title);
}
