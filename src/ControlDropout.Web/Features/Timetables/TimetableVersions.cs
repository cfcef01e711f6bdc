using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Timetables;

/// <summary>
/// How a newly published version of a county's timetable takes over from the one in force: it
/// governs from its effective date only. Before that day it holds the earlier version's sessions as
/// they were published and taught (copied unchanged, each still naming the version that created it);
/// from that day on its own sessions, except that a session with a visit record is a fact and stays;
/// a future session it drops is kept as cancelled, so that calendars are told. Used by publishing a
/// run and by the re-planner, so "the published version's sessions" is what was in force on each day.
/// </summary>
[SharedRule]
public static class TimetableVersions
{
    /// <summary>What a cancelled session says when a new version dropped it.</summary>
    public const string DroppedByNewVersion = "新课表已取消该次课";

    /// <summary>
    /// Replaces <paramref name="next"/>'s sessions with the composed set: <paramref name="previous"/>
    /// (the sessions of the version in force, or none) before <paramref name="effectiveFrom"/>, and
    /// <paramref name="next"/>'s own from then on. Sets <see cref="Timetable.EffectiveFrom"/>.
    /// </summary>
    public static void Compose(Timetable next, IReadOnlyList<TimetableSession> previous, DateOnly effectiveFrom, DateTimeOffset now, string? droppedBecause = null)
    {
        var candidates = next.Sessions.Where(s => s.Date >= effectiveFrom).ToList();
        var result = new List<TimetableSession>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        void Add(TimetableSession s)
        {
            if (taken.Add(s.SessionKey))
            {
                result.Add(s);
            }
        }

        // The past, and every session already taught or recorded as missed, whatever its date: facts stay.
        foreach (var s in previous.Where(s => s.Date < effectiveFrom || s.Status is SessionStatus.Delivered or SessionStatus.Missed))
        {
            Add(CopyOf(s, next.Id));
        }
        var before = previous.Where(s => !taken.Contains(s.SessionKey)).GroupBy(s => s.SessionKey, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        foreach (var c in candidates)
        {
            if (taken.Contains(c.SessionKey))
            {
                // That session of that week already took place (or was in force) before the effective day.
                continue;
            }
            if (before.TryGetValue(c.SessionKey, out var old))
            {
                if (old.Status != SessionStatus.Cancelled && SameVisit(old, c))
                {
                    // Unchanged: carried as it was, so that feeds and records see no change at all.
                    Add(CopyOf(old, next.Id));
                    continue;
                }
                c.Sequence = Math.Max(c.Sequence, old.Sequence + 1);
                c.ChangedAt = now;
            }
            Add(c);
        }
        foreach (var old in previous.Where(s => s.Date >= effectiveFrom && !taken.Contains(s.SessionKey)))
        {
            var dropped = CopyOf(old, next.Id);
            if (dropped.Status != SessionStatus.Cancelled)
            {
                dropped.Status = SessionStatus.Cancelled;
                dropped.MovedBecause = droppedBecause ?? DroppedByNewVersion;
                dropped.Sequence++;
                dropped.ChangedAt = now;
                dropped.OriginTimetableId = next.Id;
            }
            Add(dropped);
        }
        next.Sessions = result;
        next.EffectiveFrom = effectiveFrom;
    }

    /// <summary>
    /// The next published version of <paramref name="current"/> without one child from <paramref name="from"/> on
    /// (a closed plan): everything else carried as it is, the child's dropped sessions cancelled. Marks
    /// <paramref name="current"/> superseded; the caller adds and saves the new version.
    /// </summary>
    public static Timetable Without(Timetable current, StudentId child, DateOnly from, DateTimeOffset now, string reason, string publishedBy)
    {
        var next = NextOf(current, reason, now, publishedBy);
        next.Sessions = [.. current.Sessions.Where(s => !(s.StudentId == child && s.Date >= from && s.Status == SessionStatus.Scheduled)).Select(s => CopyOf(s, next.Id))];
        Compose(next, current.Sessions, from, now, reason);
        current.Status = TimetableStatus.Superseded;
        return next;
    }

    /// <summary>
    /// A new published version that follows <paramref name="current"/> for a change of the term's facts (leave, a
    /// closure, a closed plan): the same template and scenario, the same acknowledged children, no sessions yet.
    /// </summary>
    public static Timetable NextOf(Timetable current, string reason, DateTimeOffset now, string? publishedBy) => new()
    {
        CountyCode = current.CountyCode, TermId = current.TermId, RunId = current.RunId, CreatedAt = now,
        TemplateJson = current.TemplateJson, ScenarioJson = current.ScenarioJson, TravelMinutes = current.TravelMinutes,
        PreviousId = current.Id, ChangeReason = reason, Status = TimetableStatus.Published, PublishedBy = publishedBy, PublishedAt = now,
        Unassigned = [.. current.Unassigned.Select(u => new UnassignedChild
        {
            StudentId = u.StudentId, Mode = u.Mode, ReasonCode = u.ReasonCode, ReasonMessage = u.ReasonMessage,
            AcknowledgedBy = u.AcknowledgedBy, AcknowledgedAt = u.AcknowledgedAt, AcknowledgementNote = u.AcknowledgementNote,
        })],
    };

    /// <summary>A session carried into another version unchanged: same key, times, team and facts, and the version that made it.</summary>
    public static TimetableSession CopyOf(TimetableSession s, Guid timetableId) => new()
    {
        TimetableId = timetableId, OriginTimetableId = s.OriginTimetableId == Guid.Empty ? s.TimetableId : s.OriginTimetableId,
        SessionKey = s.SessionKey, StudentId = s.StudentId, Mode = s.Mode, Week = s.Week, Date = s.Date,
        Start = s.Start, End = s.End, StaffIds = [.. s.StaffIds], Status = s.Status, MovedBecause = s.MovedBecause,
        Sequence = s.Sequence, ChangedAt = s.ChangedAt,
    };

    private static bool SameVisit(TimetableSession a, TimetableSession b) =>
        a.Date == b.Date && a.Start == b.Start && a.End == b.End && a.Mode == b.Mode && a.StudentId == b.StudentId
        && a.StaffIds.Order().SequenceEqual(b.StaffIds.Order());
}
