using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Visits;

/// <summary>
/// The words for what a session came to, the same on the teacher's week, the session page, the staff and
/// child pages and the feed. The status itself is <see cref="RecordFacts.StatusOf"/>'s, never derived here:
/// this only tells a miss the record states from one derived from the missing record (缺课（逾期无送教记录）). The
/// words themselves are <see cref="Zh.SessionOutcome"/>'s, which the ledger and the teaching file use too.
/// </summary>
[SharedRule]
public static class SessionWords
{
    /// <summary>The words for <paramref name="shown"/>, the status <see cref="RecordFacts.StatusOf"/> gave for <paramref name="session"/>.</summary>
    public static string Of(TimetableSession session, SessionStatus shown) =>
        Zh.SessionOutcome(shown, shown == SessionStatus.Missed && session.Status == SessionStatus.Scheduled ? RecordFacts.NoRecordReason : null);
}
