using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace ControlDropout.Web.Infrastructure;

/// <summary>
/// A use case's "no": an HTTP status, a stable code, a message for people (the same Chinese on pages
/// and in the API) and, for bad fields, one message per field named by its API path (<c>plan.windows[0].from</c>).
/// </summary>
public sealed record Refusal(int Status, string Code, string Message, IReadOnlyList<ApiError> Errors)
{
    public const string NotFoundMessage = "找不到该记录，或您无权查看";

    /// <summary>Absent, or in another county or school: the two are never told apart.</summary>
    public static Refusal NotFound() => new(StatusCodes.Status404NotFound, "not_found", NotFoundMessage, []);

    public static Refusal Forbidden(string code, string message) => new(StatusCodes.Status403Forbidden, code, message, []);

    /// <summary>The caller's role may not do this at all.</summary>
    public static Refusal NotAllowed() => Forbidden("not_allowed", "您的角色无权执行此操作");

    public static Refusal Conflict(string code, string message) => new(StatusCodes.Status409Conflict, code, message, []);

    /// <summary>A conflict with one field's value (a number already on another record), named so a page shows it beside the field.</summary>
    public static Refusal Conflict(string code, string message, string field) => new(StatusCodes.Status409Conflict, code, message, [new ApiError(field, message)]);

    public static Refusal Unprocessable(string code, string message, IReadOnlyList<ApiError>? errors = null) =>
        new(StatusCodes.Status422UnprocessableEntity, code, message, errors ?? []);

    /// <summary>Bad fields: a 400 validation problem whose <c>errors</c> are keyed by each field's path.</summary>
    public static Refusal Invalid(IReadOnlyList<ApiError> errors) => new(StatusCodes.Status400BadRequest, "invalid_request", "请求中有不合要求的字段", errors);

    public static Refusal Invalid(string field, string message) => Invalid([new ApiError(field, message)]);

    public static Refusal PreconditionRequired() =>
        new(StatusCodes.Status428PreconditionRequired, "if_match_required", "请求必须带 If-Match 头（取自 ETag），以免覆盖他人的修改", []);

    public static Refusal PreconditionFailed() =>
        new(StatusCodes.Status412PreconditionFailed, "stale_version", "记录已被他人修改，请刷新后重试", []);

    /// <summary>Bad fields, answered as a validation problem (400, <c>errors</c> keyed by field path).</summary>
    public bool IsValidation => Status == StatusCodes.Status400BadRequest && Errors.Count > 0;

    public ValidationProblem ToValidationProblem() =>
        TypedResults.ValidationProblem(Errors.GroupBy(e => e.Code).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            title: Message, extensions: new Dictionary<string, object?> { ["code"] = Code });

    public ProblemHttpResult ToProblem() => Problems.Status(Status, Code, Message, Errors);

    /// <summary>The API's answer: a validation problem for bad fields, else an RFC 9457 problem with the stable code.</summary>
    public IResult ToHttpResult() => IsValidation ? ToValidationProblem() : ToProblem();

    /// <summary>
    /// A page's answer: the message at the top and each field's message beside its input.
    /// </summary>
    /// <param name="fieldOf">Maps an API field path (<c>plan.homeVisitsPerWeek</c>) to the form's input name; empty puts it at the top.</param>
    public void AddTo(ModelStateDictionary state, Func<string, string>? fieldOf = null)
    {
        if (Status != StatusCodes.Status400BadRequest || Errors.Count == 0)
        {
            state.AddModelError("", Message);
        }
        foreach (var error in Errors)
        {
            state.AddModelError(fieldOf?.Invoke(error.Code) ?? "", error.Message);
        }
    }
}

/// <summary>What a use case answers: the value, or a <see cref="Refusal"/>. Never both, never an exception for a "no".</summary>
public readonly struct Result<T>
{
    private readonly T? _value;

    private Result(T? value, Refusal? refusal)
    {
        _value = value;
        Refusal = refusal;
    }

    public Refusal? Refusal { get; }

    public bool Succeeded => Refusal is null;

    public T Value => Refusal is null ? _value! : throw new InvalidOperationException($"Refused: {Refusal.Code}");

    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(Refusal refusal) => new(default, refusal);

    /// <summary>200 with the value, or the refusal as problem details (typed, so the OpenAPI document lists both).</summary>
    public Results<Ok<T>, ValidationProblem, ProblemHttpResult> ToOk() => Refusal switch
    {
        null => TypedResults.Ok(_value),
        { IsValidation: true } r => r.ToValidationProblem(),
        { } r => r.ToProblem(),
    };

    /// <summary>201 with the value and its address, or the refusal.</summary>
    public Results<Created<T>, ValidationProblem, ProblemHttpResult> ToCreated(Func<T, string> location) => Refusal switch
    {
        null => TypedResults.Created(location(_value!), _value),
        { IsValidation: true } r => r.ToValidationProblem(),
        { } r => r.ToProblem(),
    };

    /// <summary>Any other success answer (a file, 202 with a location, a header set first).</summary>
    public IResult ToHttp(Func<T, IResult> success) => Refusal?.ToHttpResult() ?? success(_value!);

    /// <summary>For a page: true and the messages in model state when refused.</summary>
    public bool Refused(ModelStateDictionary state, Func<string, string>? fieldOf = null)
    {
        Refusal?.AddTo(state, fieldOf);
        return Refusal is not null;
    }
}

/// <summary>A use case with nothing to return but whether it happened.</summary>
public readonly record struct Done;
