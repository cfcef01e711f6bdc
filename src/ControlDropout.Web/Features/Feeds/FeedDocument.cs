using ControlDropout.Web.Domain;

namespace ControlDropout.Web.Features.Feeds;

/// <summary>
/// 订阅日历: a staff member's calendar feed as the last write that changed it built it. A feed request reads this
/// row by its token's hash and nothing else; <see cref="StoredFeeds"/> writes it. It is derived data (rebuilt from
/// the timetable at any time), so the audit trail does not record it.
/// </summary>
public sealed class FeedDocument
{
    public required StaffId StaffId { get; init; }
    public required string CountyCode { get; set; }

    /// <summary>The staff member's current token hash (<see cref="Staff.FeedTokenHash"/>), kept in step by <see cref="FeedTokens"/>; null before the first link is shown.</summary>
    public string? TokenHash { get; set; }

    public required byte[] Bytes { get; set; }
    public required string ETag { get; set; }
    public DateTimeOffset LastModified { get; set; }
    public DateTimeOffset BuiltAt { get; set; }

    /// <summary>
    /// The version it was built from: the newest published timetable of the county then. When that version is
    /// superseded (a publish, a re-plan, a closed plan), the row is stale whichever instance or code path did it.
    /// </summary>
    public Guid? TimetableId { get; set; }

    /// <summary>
    /// The first instant its content would differ by the clock alone: the next day in China (the window starts
    /// 14 days back), a session turning missed after its grace hours, a cancellation leaving after 14 days.
    /// </summary>
    public DateTimeOffset StaleAfter { get; set; }
}
