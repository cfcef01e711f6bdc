using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace ControlDropout.Web.Infrastructure;

/// <summary>
/// Pages call the same handlers as the API, so that a rule, a scope or a mask lives in one place;
/// this reads a handler's answer for a page: its value, or its refusal as messages beside the fields.
/// </summary>
public static class Outcome
{
    public const string NotFoundMessage = "找不到该记录，或您无权查看";

    public static T? Value<T>(IResult result) where T : class => Unwrap(result) is IValueHttpResult<T> ok ? ok.Value : null;

    /// <summary>A handler's <c>Results&lt;…&gt;</c> wraps the result it chose.</summary>
    public static IResult Unwrap(IResult result) => result is INestedHttpResult nested ? nested.Result : result;

    /// <summary>Copies a refusal into the page's model state; false when the handler succeeded.</summary>
    /// <param name="fieldOf">Maps an API error key (e.g. <c>plan.homeVisitsPerWeek</c>) to the form field it belongs to.</param>
    public static bool Refused(IResult result, ModelStateDictionary state, Func<string, string>? fieldOf = null)
    {
        switch (Unwrap(result))
        {
            case ValidationProblem validation:
                foreach (var (key, messages) in validation.ProblemDetails.Errors)
                {
                    foreach (var message in messages)
                    {
                        state.AddModelError(fieldOf?.Invoke(key) ?? key, message);
                    }
                }
                return true;
            case ProblemHttpResult problem:
                state.AddModelError("", problem.ProblemDetails.Title ?? "操作未完成");
                if (problem.ProblemDetails.Extensions.TryGetValue("errors", out var errors) && errors is IEnumerable<ApiError> list)
                {
                    foreach (var error in list)
                    {
                        state.AddModelError(fieldOf?.Invoke(error.Code) ?? "", error.Message);
                    }
                }
                return true;
            case NotFound:
                state.AddModelError("", NotFoundMessage);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The answer a script on the page gets (the visit form sending a draft later): the same messages as JSON.</summary>
    public static Dictionary<string, string[]> Errors(ModelStateDictionary state) =>
        state.Where(e => e.Value is { Errors.Count: > 0 })
            .ToDictionary(e => e.Key, e => e.Value!.Errors.Select(x => x.ErrorMessage).ToArray());
}
