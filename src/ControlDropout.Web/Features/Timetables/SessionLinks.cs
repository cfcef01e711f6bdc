using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Feeds;
using ControlDropout.Web.Features.Plans;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Timetables;

/// <summary>会议链接 of one remote session: <c>PUT /api/sessions/{key}/meeting-link</c>.</summary>
public sealed record MeetingLinkRequest(string? Link);

/// <summary>The session's link as stored (null: it uses its plan's link, if any).</summary>
public sealed record SessionLinkDto(string SessionKey, string? MeetingLink);

/// <summary>
/// A remote session's own meeting link, set where the plan's default does not fit (a teacher's own room
/// for one week). Who may write a plan or decide on one may set it: a coordinator for their school's
/// children, the bureau for the county. It is set on the session's rows of the published version(s), so
/// that the teacher's page and the feed show it; an empty link clears it back to the plan's.
/// </summary>
public sealed class SessionLinks(AppDbContext db, CurrentUser me, TimeProvider clock, StoredFeeds feeds)
{
    /// <summary>The roles that may set a session's link (the route's second fence).</summary>
    public static string[] Roles => [.. Permissions.RolesWith(Permission.EditPlans).Union(Permissions.RolesWith(Permission.DecidePlans))];

    private const string Set = "meeting link set";
    private const string Cleared = "meeting link cleared";

    public async Task<Result<SessionLinkDto>> SetAsync(string sessionKey, MeetingLinkRequest? request, CancellationToken ct)
    {
        if (!me.May(Permission.EditPlans) && !me.May(Permission.DecidePlans))
        {
            return Refusal.NotAllowed();
        }
        var published = db.Timetables.Where(t => t.CountyCode == me.CountyCode && t.Status == TimetableStatus.Published).Select(t => t.Id);
        var rows = await db.Sessions.Where(s => s.SessionKey == sessionKey && published.Contains(s.TimetableId)).ToListAsync(ct).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return Refusal.NotFound();
        }
        if (me.IsCoordinator)
        {
            var studentId = rows[0].StudentId;
            var school = await db.Students.Where(s => s.Id == studentId && s.CountyCode == me.CountyCode).Select(s => (SchoolId?)s.SchoolOfRecordId).SingleOrDefaultAsync(ct).ConfigureAwait(false);
            if (school is not { } of || !me.ActsFor(of))
            {
                return Refusal.NotFound();
            }
        }
        if (MeetingLinks.Problem(request?.Link) is { } problem)
        {
            return Refusal.Invalid("link", problem);
        }
        if (rows[0].Mode != SessionModes.Remote)
        {
            return Refusal.Conflict("not_remote", "上门送教的课次没有会议链接", "link");
        }
        // A session that has ended is part of the record as it happened: its event is not rewritten afterwards.
        var now = clock.GetUtcNow();
        if (rows.Max(r => new DateTimeOffset(r.Date.ToDateTime(r.End), Conventions.ChinaOffset)) <= now)
        {
            return Refusal.Conflict("session_over", "该课次已经结束，不能再更改会议链接", "link");
        }
        var link = MeetingLinks.Normalise(request?.Link);
        foreach (var row in rows.Where(r => r.MeetingLink != link))
        {
            row.MeetingLink = link;
            // A changed event: calendar apps take it only with a higher SEQUENCE.
            row.Sequence++;
            row.ChangedAt = now;
        }
        // Dated sessions are not audited row by row: the change is one event on the child, without the link itself
        // (a meeting link may carry the room's password).
        await db.SaveChangesWithEventAsync("set-meeting-link", nameof(Student), rows[0].StudentId.ToString(), link is null ? Cleared : Set, ct).ConfigureAwait(false);
        await feeds.WriteForStaffAsync(me.CountyCode, [.. rows.SelectMany(r => r.StaffIds).Distinct()], ct).ConfigureAwait(false);
        return new SessionLinkDto(sessionKey, link);
    }
}
