using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Plans;

/// <summary>
/// 远程送教的会议链接: set on the plan (every remote session) or on one session. Only an https address is
/// accepted, so that a link shown to a teacher or put in a calendar can never be a script or a local file.
/// </summary>
[SharedRule]
public static class MeetingLinks
{
    public const int MaxLength = 500;

    /// <summary>Why the link cannot be kept (in Chinese), or null when it can; an empty link is "none".</summary>
    public static string? Problem(string? link)
    {
        if (string.IsNullOrWhiteSpace(link))
        {
            return null;
        }
        var text = link.Trim();
        if (text.Length > MaxLength)
        {
            return $"会议链接不能超过 {MaxLength} 个字符";
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || string.IsNullOrEmpty(uri.Host)
            || text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return "会议链接须是以 https:// 开头的完整网址";
        }
        return null;
    }

    /// <summary>The link stored for an accepted value: trimmed, or null for none.</summary>
    public static string? Normalise(string? link) => string.IsNullOrWhiteSpace(link) ? null : link.Trim();

    /// <summary>The link of a remote session: its own, else its plan's; none for a home visit.</summary>
    public static string? Of(TimetableSession session, PlanVersion? plan) =>
        session.Mode != SessionModes.Remote ? null : session.MeetingLink ?? plan?.MeetingLink;
}
