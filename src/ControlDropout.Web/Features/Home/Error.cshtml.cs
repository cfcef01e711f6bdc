using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.Home;

/// <summary>Errors on pages, in Chinese and without a stack trace, whatever the environment.</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "";
    public string Message { get; private set; } = "";

    public void OnGet(int code) => Describe(code);

    public void OnPost(int code) => Describe(code);

    private void Describe(int code)
    {
        (Title, Message) = code switch
        {
            StatusCodes.Status404NotFound => ("找不到页面", "该页面或记录不存在，或您无权查看。"),
            StatusCodes.Status403Forbidden => ("无权操作", "您的角色不能进行此操作。"),
            StatusCodes.Status400BadRequest => ("请求无效", "表单已过期或不完整，请返回刷新后重试。"),
            StatusCodes.Status429TooManyRequests => ("操作过于频繁", "请稍后再试。"),
            _ => ("出错了", "服务暂时出错，请稍后再试；如果反复出现，请联系县教体局管理员。"),
        };
    }
}
