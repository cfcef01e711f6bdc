namespace ControlDropout.Web.Domain;

/// <summary>
/// The facts of the record that every page, export and feed must state the same way, derived here
/// and nowhere else: what a session came to, and the days a child's plan is in force.
/// </summary>
public static class RecordFacts
{
    /// <summary>The words for a session that passed its grace period with no visit record.</summary>
    public const string NoRecordReason = "逾期无送教记录";

    /// <summary>
    /// What a session is at <paramref name="now"/>: cancelled, delivered or missed as its record says,
    /// missed once its end plus the county's grace period has passed with no record, else scheduled.
    /// </summary>
    public static SessionStatus StatusOf(TimetableSession session, DateTimeOffset now, int graceHours) =>
        session.Status != SessionStatus.Scheduled ? session.Status : UnrecordedStatus(MissedFrom(session, graceHours), now);

    /// <summary>The instant a session with no record becomes missed: its end plus the county's grace period.</summary>
    public static DateTimeOffset MissedFrom(TimetableSession session, int graceHours) => EndOf(session).AddHours(graceHours);

    /// <summary>
    /// What a session with no record is at <paramref name="now"/>: the one time-dependent part of a session's status, kept
    /// apart so that a stored summary (coverage's) derives it with this same function, never a copy.
    /// </summary>
    public static SessionStatus UnrecordedStatus(DateTimeOffset missedFrom, DateTimeOffset now) =>
        now >= missedFrom ? SessionStatus.Missed : SessionStatus.Scheduled;

    /// <summary>When a session ends, as an instant (the date and times are China's wall clock).</summary>
    public static DateTimeOffset EndOf(TimetableSession session) =>
        new(session.Date.ToDateTime(session.End), Conventions.ChinaOffset);

    /// <summary>
    /// The days a plan is in force within its term: from <see cref="Plan.EffectiveFrom"/> to its close or
    /// the term's end. A plan in force that predates effective dates runs from the term's first day;
    /// a plan never approved has no span.
    /// </summary>
    public static EffectiveSpan? SpanOf(Plan plan, Term term)
    {
        var everInForce = plan.EffectiveFrom is not null
            || plan.Versions.Any(v => v.Status is PlanStatus.Approved or PlanStatus.Active || v is { Status: PlanStatus.Closed, DecidedAt: not null });
        if (!everInForce)
        {
            return null;
        }
        var from = plan.EffectiveFrom ?? term.FirstDay;
        var until = plan.EffectiveUntil is { } closed && closed < term.LastDay ? closed : term.LastDay;
        return until < from ? null : new EffectiveSpan(from, until);
    }
}

/// <summary>The first and last day (both included) a child's plan is in force.</summary>
public sealed record EffectiveSpan(DateOnly From, DateOnly Until)
{
    public bool Contains(DateOnly day) => From <= day && day <= Until;
}
