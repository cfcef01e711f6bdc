using System.Globalization;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Coverage;

/// <summary>One child's answer for one teaching week: what policy requires, what is scheduled and delivered, and the status.</summary>
public sealed record WeekCoverage(int Required, int Scheduled, int Delivered, CoverageStatus Status, IReadOnlyList<Guid> StaffIds);

/// <summary>
/// What a county's term holds as a record, read once and stated the same way by weekly coverage, the
/// ledger (台账) and each child's teaching file (送教档案): the children whose plan was ever in force and
/// the days it was in force (<see cref="RecordFacts.SpanOf"/>), the sessions in force (the published
/// version's sessions: a later version keeps the past as it was), the newest visit record of each
/// session, and each session's status as <see cref="RecordFacts.StatusOf"/> derives it — nowhere else.
/// Callers scope it to the caller first (the county; a coordinator's school is filtered by the use case).
/// </summary>
[SharedRule]
public sealed class TermRecord
{
    private readonly Dictionary<StudentId, List<EffectiveSpan>> _spans;
    private readonly Dictionary<StudentId, List<TimetableSession>> _sessions;
    private readonly Dictionary<string, VisitRecord> _records;
    private readonly HolidayCalendar _holidays;
    private readonly List<Closure> _closures;
    private readonly Dictionary<string, List<CalendarWeek>> _calendars = new(StringComparer.Ordinal);

    private TermRecord(Term term, CountyPolicy policy, DateTimeOffset now, HolidayCalendar holidays, List<Closure> closures, List<Plan> plans,
        List<Student> children, List<TimetableSession> sessions, List<VisitRecord> records)
    {
        (Term, Policy, Now, _holidays, _closures) = (term, policy, now, holidays, closures);
        Plans = plans;
        _spans = plans.Select(p => (p.StudentId, Span: RecordFacts.SpanOf(p, term))).Where(x => x.Span is not null)
            .GroupBy(x => x.StudentId).ToDictionary(g => g.Key, g => g.Select(x => x.Span!).ToList());
        Children = [.. children.Where(c => _spans.ContainsKey(c.Id)).OrderBy(c => c.VillageCode, StringComparer.Ordinal).ThenBy(c => c.Id.Value)];
        _sessions = sessions.GroupBy(s => s.StudentId).ToDictionary(g => g.Key, g => g.OrderBy(s => s.Date).ThenBy(s => s.Start).ThenBy(s => s.SessionKey, StringComparer.Ordinal).ToList());
        // Only each session's newest record counts as what happened (a correction is a new version).
        _records = records.GroupBy(v => v.SessionKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.OrderByDescending(v => v.Version).First(), StringComparer.Ordinal);
    }

    public Term Term { get; }
    public CountyPolicy Policy { get; }
    /// <summary>The instant the answers are given for (the injected clock).</summary>
    public DateTimeOffset Now { get; }
    public DateOnly Today => Conventions.ChinaDay(Now);
    /// <summary>Every plan of the term read (with versions), whether or not ever in force.</summary>
    public IReadOnlyList<Plan> Plans { get; }
    /// <summary>The children whose plan was ever in force in the term, by village then id.</summary>
    public IReadOnlyList<Student> Children { get; }

    /// <summary>
    /// Reads the term of a county at <paramref name="now"/>; <paramref name="only"/> narrows it to some children
    /// (one child's teaching file) so that the county's whole term is not read for one.
    /// </summary>
    public static Task<TermRecord> LoadAsync(AppDbContext db, string countyCode, Term term, HolidayCalendar holidays, DateTimeOffset now,
        StudentId? only, CancellationToken ct) =>
        LoadChildrenAsync(db, countyCode, term, holidays, now, only is { } one ? [one] : null, ct);

    /// <summary>Reads the term of a county for some children (all when <paramref name="only"/> is null).</summary>
    public static async Task<TermRecord> LoadChildrenAsync(AppDbContext db, string countyCode, Term term, HolidayCalendar holidays, DateTimeOffset now,
        IReadOnlyCollection<StudentId>? only, CancellationToken ct)
    {
        var policy = await db.Policies.AsNoTracking().SingleOrDefaultAsync(p => p.CountyCode == countyCode, ct).ConfigureAwait(false) ?? CountyPolicy.LincangDefault(countyCode);
        var closures = await db.Closures.AsNoTracking().Where(c => c.CountyCode == countyCode).ToListAsync(ct).ConfigureAwait(false);
        var planQuery = db.Plans.AsNoTracking().Include(p => p.Versions).Where(p => p.CountyCode == countyCode && p.TermId == term.Id);
        if (only is { Count: 1 })
        {
            var one = only.First();
            planQuery = planQuery.Where(p => p.StudentId == one);
        }
        else if (only is not null)
        {
            var some = only.ToList();
            planQuery = planQuery.Where(p => some.Contains(p.StudentId));
        }
        var plans = await planQuery.ToListAsync(ct).ConfigureAwait(false);
        var ids = plans.Select(p => p.StudentId).Distinct().ToList();
        var children = await db.Students.AsNoTracking().Where(s => s.CountyCode == countyCode && ids.Contains(s.Id)).ToListAsync(ct).ConfigureAwait(false);
        var published = await db.Timetables.AsNoTracking()
            .Where(t => t.CountyCode == countyCode && t.TermId == term.Id && t.Status == Domain.TimetableStatus.Published).Select(t => t.Id).ToListAsync(ct).ConfigureAwait(false);
        var sessions = await db.Sessions.AsNoTracking().Where(s => published.Contains(s.TimetableId) && ids.Contains(s.StudentId)).ToListAsync(ct).ConfigureAwait(false);
        var keys = sessions.Select(s => s.SessionKey).Distinct().ToList();
        var records = await db.Visits.AsNoTracking().Where(v => v.CountyCode == countyCode && ids.Contains(v.StudentId) && keys.Contains(v.SessionKey)).ToListAsync(ct).ConfigureAwait(false);
        return new TermRecord(term, policy, now, holidays, closures, plans, children, sessions, records);
    }

    /// <summary>The days the child's plan is in force (a child with two plans in a term has both).</summary>
    public IReadOnlyList<EffectiveSpan> SpansOf(StudentId child) => _spans.GetValueOrDefault(child) ?? [];

    /// <summary>Whether the child's plan is in force on a day.</summary>
    public bool InForce(StudentId child, DateOnly day) => SpansOf(child).Any(s => s.Contains(day));

    /// <summary>The weeks of the term on the child's township calendar (its closures too).</summary>
    public IReadOnlyList<CalendarWeek> WeeksOf(Student child)
    {
        var township = Conventions.TownshipOf(child.VillageCode) ?? "";
        if (!_calendars.TryGetValue(township, out var weeks))
        {
            _calendars[township] = weeks = [.. TermCalendar.Weeks(Term, _holidays, _closures, township)];
        }
        return weeks;
    }

    /// <summary>A week is in the child's plan when the plan is in force on at least one of its teaching days.</summary>
    public bool InPlan(Student child, CalendarWeek week) => week.Days.Any(d => d.IsTeaching && InForce(child.Id, d.Date));

    /// <summary>Every session in force for the child — cancelled ones too — by date and time.</summary>
    public IReadOnlyList<TimetableSession> SessionsOf(StudentId child) => _sessions.GetValueOrDefault(child) ?? [];

    /// <summary>The session's status now, derived in the one place (<see cref="RecordFacts.StatusOf"/>).</summary>
    public SessionStatus StatusOf(TimetableSession session) => RecordFacts.StatusOf(session, Now, Policy.MissedGraceHours);

    /// <summary>The newest visit record of the session, if any.</summary>
    public VisitRecord? RecordOf(TimetableSession session) => _records.GetValueOrDefault(session.SessionKey);

    /// <summary>Why a missed session was missed: its record's reason, or, with no record, <see cref="RecordFacts.NoRecordReason"/>.</summary>
    public string MissedReasonOf(TimetableSession session) =>
        RecordOf(session) is { Missed: true, MissedReason: { Length: > 0 } reason } ? reason : RecordFacts.NoRecordReason;

    /// <summary>The session's status in words, a miss with its reason: the same words on every page and export.</summary>
    public string WordsOf(TimetableSession session) => StatusOf(session) is var status && status == SessionStatus.Missed
        ? Zh.SessionOutcome(status, MissedReasonOf(session))
        : Zh.SessionOutcome(status, null);

    /// <summary>The child's sessions in force on days its plan is in force.</summary>
    public IEnumerable<TimetableSession> InSpan(StudentId child) => SessionsOf(child).Where(s => InForce(child, s.Date));

    /// <summary>生效日期 as bureaus write a span: <c>2026-12-03 至 2027-01-22</c>.</summary>
    public static string EffectiveDates(IEnumerable<EffectiveSpan> spans) =>
        string.Join("；", spans.OrderBy(x => x.From).Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.From:yyyy-MM-dd} 至 {x.Until:yyyy-MM-dd}")));

    /// <summary>Coverage of one child in one ISO week of the term, at <see cref="Now"/>.</summary>
    public WeekCoverage Coverage(Student child, string weekName) => FactsOf(child, weekName).At(Now);

    /// <summary>
    /// What a child's week is made of, whatever the time: whether it counts at all, what is required and delivered,
    /// when each session still without a record turns missed, and the team. <see cref="WeekFacts.At"/> gives the
    /// answer at an instant; coverage's summary stores these facts and answers with that same function.
    /// </summary>
    public WeekFacts FactsOf(Student child, string weekName)
    {
        var week = WeeksOf(child).FirstOrDefault(w => w.Week == weekName);
        if (week is null)
        {
            return WeekFacts.Exempt(default);
        }
        if (week.Exempt)
        {
            // A week with no teaching day is exempt for a child whose plan is in force on one of its days, and
            // not in plan for one approved later: a later approval must not add a row to a past week.
            return week.Days.Any(d => InForce(child.Id, d.Date)) ? WeekFacts.Exempt(week.Monday) : WeekFacts.NotInPlan(week.Monday);
        }
        if (!InPlan(child, week))
        {
            return WeekFacts.NotInPlan(week.Monday);
        }
        var counted = InSpan(child.Id).Where(s => s.Week == weekName && (Policy.RemoteCountsTowardHomeMinimum || s.Mode == SessionModes.Home)).ToList();
        return new WeekFacts(WeekKind.Counted, week.Monday, Policy.MinSessionsPerTeachingWeek,
            counted.Count(s => s.Status == SessionStatus.Delivered),
            [.. counted.Where(s => s.Status == SessionStatus.Scheduled).Select(s => RecordFacts.MissedFrom(s, Policy.MissedGraceHours))],
            [.. counted.Where(s => s.Status != SessionStatus.Cancelled).SelectMany(s => s.StaffIds).Distinct()]);
    }
}

/// <summary>Whether a child's week counts toward the weekly minimum.</summary>
public enum WeekKind
{
    /// <summary>A teaching week with the child's plan in force: required, scheduled and delivered are counted.</summary>
    Counted,
    /// <summary>No teaching day, with the plan in force on one of its days.</summary>
    Exempt,
    /// <summary>The plan in force on none of the week's teaching days.</summary>
    NotInPlan,
}

/// <summary>
/// A child's week as facts that do not depend on the clock (<see cref="TermRecord.FactsOf"/>); the status, which does
/// (a week turns missed when its Sunday passes, a session with no record when its grace period ends), is
/// <see cref="At"/>: the one place a week's status is derived, for the term record and the stored summary alike.
/// </summary>
/// <param name="PendingMissedFrom">For each counted session still without a record, when it turns missed.</param>
public sealed record WeekFacts(WeekKind Kind, DateOnly Monday, int Required, int Delivered, IReadOnlyList<DateTimeOffset> PendingMissedFrom, IReadOnlyList<Guid> StaffIds)
{
    public static WeekFacts Exempt(DateOnly monday) => new(WeekKind.Exempt, monday, 0, 0, [], []);

    public static WeekFacts NotInPlan(DateOnly monday) => new(WeekKind.NotInPlan, monday, 0, 0, [], []);

    /// <summary>The week's answer at <paramref name="now"/>.</summary>
    public WeekCoverage At(DateTimeOffset now)
    {
        switch (Kind)
        {
            case WeekKind.Exempt:
                return new WeekCoverage(0, 0, 0, CoverageStatus.Exempt, []);
            case WeekKind.NotInPlan:
                return new WeekCoverage(0, 0, 0, CoverageStatus.NotInPlan, []);
        }
        var scheduled = Delivered + PendingMissedFrom.Count(at => RecordFacts.UnrecordedStatus(at, now) == SessionStatus.Scheduled);
        var today = Conventions.ChinaDay(now);
        var sunday = Monday.AddDays(6);
        var status = Delivered >= Required ? CoverageStatus.Met
            : sunday < today ? CoverageStatus.Missed
            : scheduled < Required ? CoverageStatus.Unscheduled
            : Monday <= today ? CoverageStatus.AtRisk
            : CoverageStatus.Upcoming;
        return new WeekCoverage(Required, scheduled, Delivered, status, StaffIds);
    }
}
