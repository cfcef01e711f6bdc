using System.Collections.Immutable;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Solving;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Features.Timetables;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Timetable = ControlDropout.Web.Domain.Timetable;

namespace ControlDropout.Web.Features.Disruptions;

/// <summary>Something that takes sessions away: a staff member's leave, or a closure.</summary>
public sealed record Disruption(string Description, DateOnly FirstDay, DateOnly LastDay, StaffId? AwayStaff, Closure? Closure);

public sealed record MovedSession(string SessionKey, Guid StudentId, DateOnly FromDate, TimeOnly FromStart, IReadOnlyList<Guid> FromStaff, DateOnly ToDate, TimeOnly ToStart, IReadOnlyList<Guid> ToStaff);

public sealed record UncoveredSession(Guid StudentId, string Week, string ReasonCode, string ReasonMessage);

/// <summary>What a disruption changed: the new published version, the sessions that moved, and any child no longer covered.</summary>
public sealed record ReplanResult(Guid? TimetableId, IReadOnlyList<MovedSession> Moved, IReadOnlyList<UncoveredSession> Uncovered, bool AllCovered);

/// <summary>
/// Re-plans only the weeks a disruption touches, against the published timetable: the week's other
/// sessions are pinned as they are, the published week is the baseline, and the result is a new
/// published version that remembers the one it replaced and why.
/// </summary>
public sealed class Replanner(AppDbContext db, HolidayCalendar holidays, IOptions<SchedulingOptions> options, TimeProvider clock)
{
    /// <summary>Adds the new version to the context; the caller saves it together with the disruption, in one transaction.</summary>
    public async Task<ReplanResult> ReplanAsync(string countyCode, Disruption disruption, CancellationToken ct)
    {
        // The county's closures as saved, plus the one being recorded (not saved yet: it goes with this re-plan).
        var closuresIncludingNew = await db.Closures.AsNoTracking().Where(c => c.CountyCode == countyCode).ToListAsync(ct).ConfigureAwait(false);
        if (disruption.Closure is { } added && closuresIncludingNew.All(c => c.Id != added.Id))
        {
            closuresIncludingNew.Add(added);
        }
        var published = await db.Timetables.Include(t => t.Sessions)
            .Where(t => t.CountyCode == countyCode && t.Status == Domain.TimetableStatus.Published).ToListAsync(ct).ConfigureAwait(false);
        var moved = new List<MovedSession>();
        var uncovered = new List<UncoveredSession>();
        var villages = await db.Students.AsNoTracking().Where(s => s.CountyCode == countyCode)
            .Select(s => new { s.Id, s.VillageCode }).ToListAsync(ct).ConfigureAwait(false);
        _townships = villages.ToDictionary(v => v.Id, v => Conventions.TownshipOf(v.VillageCode));
        Guid? latest = null;
        // The past is frozen: a disruption moves only sessions from tomorrow on; what was due up to today
        // stays as it was published and is recorded as delivered or missed.
        var firstMovable = Conventions.ChinaDay(clock.GetUtcNow()).AddDays(1);
        foreach (var timetable in published)
        {
            var affected = timetable.Sessions.Where(s => s.Status == SessionStatus.Scheduled && s.Date >= firstMovable && Affects(disruption, s, _townships)).ToList();
            if (affected.Count == 0)
            {
                continue;
            }
            var term = await db.Terms.AsNoTracking().SingleAsync(t => t.Id == timetable.TermId, ct).ConfigureAwait(false);
            var next = await ReplanTimetableAsync(timetable, term, affected, disruption, closuresIncludingNew, firstMovable, moved, uncovered, ct).ConfigureAwait(false);
            latest = next.Id;
        }
        return new ReplanResult(latest, moved, uncovered, uncovered.Count == 0);
    }

    /// <summary>Each child's township (from the village code), for township closures.</summary>
    private Dictionary<Domain.StudentId, string?> _townships = [];

    private static bool Affects(Disruption d, TimetableSession s, Dictionary<Domain.StudentId, string?> townships)
    {
        if (s.Date < d.FirstDay || s.Date > d.LastDay)
        {
            return false;
        }
        if (d.AwayStaff is { } staff)
        {
            return s.StaffIds.Contains(staff.Value);
        }
        return d.Closure is { TownshipCode: null } || (d.Closure is { } c && townships.GetValueOrDefault(s.StudentId) == c.TownshipCode);
    }

    private async Task<Timetable> ReplanTimetableAsync(Timetable current, Term term, List<TimetableSession> affected, Disruption disruption,
        IReadOnlyList<Closure> closures, DateOnly firstMovable, List<MovedSession> moved, List<UncoveredSession> uncovered, CancellationToken ct)
    {
        var scenario = ScenarioReader.Read(current.ScenarioJson).Scenario
            ?? throw new InvalidOperationException("the published timetable's scenario no longer reads");
        var countyWeeks = TermCalendar.Weeks(term, holidays, closures).ToDictionary(w => w.Week);
        var townshipWeeks = _townships.Values.OfType<string>().Distinct()
            .ToDictionary(t => t, t => TermCalendar.Weeks(term, holidays, closures, t).ToDictionary(w => w.Week));
        var leave = await db.Leave.AsNoTracking().Where(l => l.CountyCode == current.CountyCode && l.LastDay >= term.FirstDay && l.FirstDay <= term.LastDay).ToListAsync(ct).ConfigureAwait(false);
        if (disruption.AwayStaff is { } away && !leave.Any(l => l.StaffId == away && l.FirstDay == disruption.FirstDay && l.LastDay == disruption.LastDay))
        {
            leave.Add(new StaffLeave { CountyCode = current.CountyCode, StaffId = away, FirstDay = disruption.FirstDay, LastDay = disruption.LastDay, Reason = disruption.Description, CreatedBy = "", CreatedAt = default });
        }

        var step = (await db.Policies.AsNoTracking().SingleOrDefaultAsync(p => p.CountyCode == current.CountyCode, ct).ConfigureAwait(false))?.StartTimeStepMinutes
            ?? CountyPolicy.DefaultStartTimeStepMinutes;

        // Published by whoever published the version it follows: the disruption's author is in the audit trail.
        var next = TimetableVersions.NextOf(current, disruption.Description, clock.GetUtcNow(), current.PublishedBy);
        var weeks = affected.Select(s => s.Week).ToHashSet(StringComparer.Ordinal);
        var inScenario = scenario.Students.Select(s => CoreIds.Student(s.Id)).ToHashSet();
        foreach (var s in current.Sessions.Where(s => !weeks.Contains(s.Week)))
        {
            next.Sessions.Add(Copy(s, next.Id));
        }
        foreach (var weekName in weeks.Order(StringComparer.Ordinal))
        {
            var week = countyWeeks[weekName];
            // A cancelled session holds no time: only the live ones are pinned (the cancelled stay as they are).
            // A child from an earlier version (their plan since closed) is not in this scenario: their sessions
            // lie before the version's effective day, where nothing can be placed anyway.
            var inWeek = current.Sessions.Where(s => s.Week == weekName && s.Status != SessionStatus.Cancelled && inScenario.Contains(s.StudentId)).ToList();
            var hit = affected.Where(s => s.Week == weekName).ToHashSet();
            bool Teaching(Scheduling.Scenarios.StudentId student, Weekday day)
            {
                var township = _townships.GetValueOrDefault(CoreIds.Student(student));
                var calendar = township is not null && townshipWeeks.TryGetValue(township, out var tw) ? tw[weekName] : week;
                var date = week.Monday.AddDays((int)day);
                return date >= firstMovable && calendar.Days.FirstOrDefault(d => d.Date == date) is { IsTeaching: true };
            }
            var weekScenario = scenario with
            {
                Days = [.. Enum.GetValues<Weekday>().Where(d => week.Days.Any(x => x.Date == week.Monday.AddDays((int)d) && x.IsTeaching)).DefaultIfEmpty(Weekday.Mon)],
                Teachers = [.. scenario.Teachers.Select(t => t with
                {
                    Availability = [.. t.Availability.Where(w => !leave.Any(l => l.StaffId.Value == CoreIds.Staff(t.Id) && l.FirstDay <= week.Monday.AddDays((int)w.Day) && week.Monday.AddDays((int)w.Day) <= l.LastDay))],
                })],
                Students = [.. scenario.Students.Select(s => s with { Availability = [.. s.Availability.Where(w => Teaching(s.Id, w.Day))] })],
                Pinned = [.. inWeek.Where(s => !hit.Contains(s)).Select(s => CoreIds.Placement(s, week.Monday))],
                Baseline = [.. inWeek.Select(s => CoreIds.Placement(s, week.Monday))],
                // The county's start grid (today's policy, even for a version solved before it had one); pinned sessions keep their start.
                Options = new SolveOptions(options.Value.WeekTimeLimitSeconds, options.Value.Seed, options.Value.Workers, step),
            };
            var outcome = WeekSolver.Solve(weekScenario, null, null, ct);
            var placed = outcome.Status == Scheduling.Timetables.TimetableStatus.Invalid ? [.. weekScenario.Pinned] : outcome.Sessions;
            foreach (var s in inWeek.Where(s => !hit.Contains(s)))
            {
                next.Sessions.Add(Copy(s, next.Id));
            }
            var pinnedKeys = weekScenario.Pinned.Select(Key).ToHashSet(StringComparer.Ordinal);
            foreach (var group in hit.GroupBy(s => (s.StudentId, s.Mode)))
            {
                var fresh = placed.Where(p => CoreIds.Student(p.StudentId) == group.Key.StudentId && CoreIds.Mode(p.Mode) == group.Key.Mode && !pinnedKeys.Contains(Key(p)))
                    .OrderBy(p => p.Day).ToList();
                var old = group.OrderBy(s => s.Date).ToList();
                for (var i = 0; i < old.Count; i++)
                {
                    if (i < fresh.Count)
                    {
                        var p = fresh[i];
                        var session = new TimetableSession
                        {
                            TimetableId = next.Id, SessionKey = old[i].SessionKey, StudentId = old[i].StudentId, Mode = old[i].Mode, Week = weekName,
                            Date = week.Monday.AddDays((int)p.Day), Start = p.Start, End = p.End, StaffIds = [.. p.TeacherIds.Select(CoreIds.Staff)],
                            MovedBecause = disruption.Description, Sequence = old[i].Sequence + 1, ChangedAt = clock.GetUtcNow(),
                        };
                        next.Sessions.Add(session);
                        moved.Add(new MovedSession(old[i].SessionKey, old[i].StudentId.Value, old[i].Date, old[i].Start, old[i].StaffIds, session.Date, session.Start, session.StaffIds));
                    }
                    else
                    {
                        // Kept as cancelled, so that calendars are told rather than left with a stale visit.
                        var cancelled = Copy(old[i], next.Id);
                        cancelled.Status = SessionStatus.Cancelled;
                        cancelled.MovedBecause = disruption.Description;
                        cancelled.Sequence++;
                        cancelled.ChangedAt = clock.GetUtcNow();
                        next.Sessions.Add(cancelled);
                        var reason = outcome.Unassigned.FirstOrDefault(u => CoreIds.Student(u.StudentId) == group.Key.StudentId)?.Reason;
                        uncovered.Add(new UncoveredSession(old[i].StudentId.Value, weekName, reason?.Code ?? Scheduling.Timetables.ReasonCodes.TimeLimitReached, reason?.Message ?? "重排未能安排"));
                    }
                }
            }
        }
        // The new version governs from tomorrow: everything before is carried as it was.
        TimetableVersions.Compose(next, current.Sessions, firstMovable, clock.GetUtcNow(), disruption.Description);
        current.Status = Domain.TimetableStatus.Superseded;
        db.Timetables.Add(next);
        return next;
    }

    private static TimetableSession Copy(TimetableSession s, Guid timetableId) => TimetableVersions.CopyOf(s, timetableId);

    private static string Key(SessionPlacement s) => $"{s.StudentId}|{s.Mode}|{s.Day}|{TimeFormat.Format(s.Start)}";
}
