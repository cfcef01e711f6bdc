using System.Globalization;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Features.Coverage;
using ControlDropout.Web.Features.Ledger;
using ControlDropout.Web.Features.Timetables;
using ControlDropout.Web.Features.Visits;
using ControlDropout.Web.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Reports;

/// <summary>
/// One line of a report: a group's children on 送教 (plan in force on at least one day of the period), its sessions
/// planned / delivered / missed / still upcoming, 课时, the coverage of its past teaching weeks, its flagged records
/// and the staff hours (person-hours) of its delivered sessions.
/// </summary>
public sealed record ReportRow(string Key, string Name, int Children, int Planned, int Delivered, int Missed, int Upcoming, int Lessons,
    int WeeksRequired, int WeeksMet, double? CoverageRate, int Flagged, double StaffHours);

/// <summary>One staff member's delivered sessions and hours, and the timetable's road minutes of their sessions in the period.</summary>
public sealed record StaffRow(Guid StaffId, string Name, int Delivered, double Hours, int TravelMinutes);

/// <summary>How many records of the period carry a flag (a record with two flags counts under each).</summary>
public sealed record FlagCount(string Code, string Name, int Records);

/// <summary>One teaching week of the period: sessions and the coverage of the week (only a past week has a rate).</summary>
public sealed record WeekPoint(string Week, int Planned, int Delivered, int Missed, int WeeksRequired, int WeeksMet, double? CoverageRate);

/// <summary>
/// 月报 / 学期报告: what a bureau hands upward. <see cref="PreviousMonth"/> is the county's (a coordinator's: the
/// school's) totals of the month before, for a monthly report; <see cref="Trend"/> is by teaching week.
/// </summary>
public sealed record Report(string Kind, string Title, DateOnly FirstDay, DateOnly LastDay, string Unit, DateOnly IssuedOn,
    IReadOnlyList<string> Terms, string? Note, ReportRow County, ReportRow? PreviousMonth, IReadOnlyList<ReportRow> ByTownship,
    IReadOnlyList<ReportRow> BySchool, IReadOnlyList<ReportRow> ByCategory, int FlaggedRecords, IReadOnlyList<FlagCount> Flags,
    IReadOnlyList<StaffRow> Staff, int TravelMinutes, IReadOnlyList<WeekPoint> Trend);

/// <summary>A report as asked for: the record, and the file when a file format was asked for.</summary>
public sealed record ReportAnswer(Report Report, ExportFile? File)
{
    public IResult ToHttp() => File?.ToHttp() ?? Results.Ok(Report);
}

/// <summary>What a report request may say: a month (monthly reports) and a format.</summary>
public sealed record ReportQuery(string? Month, string? Format);

public sealed class ReportQueryValidator : AbstractValidator<ReportQuery>
{
    public static readonly ReportQueryValidator Monthly = new(monthly: true);
    public static readonly ReportQueryValidator ForTerm = new(monthly: false);

    public ReportQueryValidator(bool monthly)
    {
        if (monthly)
        {
            RuleFor(q => q.Month).Must(m => Reports.ParseMonth(m) is not null).WithMessage("月份须为 yyyy-MM 格式（如 2026-11），且在 2000 到 2100 年之间");
        }
        RuleFor(q => q.Format).Must(f => f is null or "json" or "xlsx" or "html").WithMessage("格式须为 json、xlsx 或 html");
    }
}

/// <summary>
/// Monthly and term reports, read from the one reading of a term's record (<see cref="TermRecord"/>): the same
/// statuses, spans and coverage as the coverage pages and the ledger, the ledger's 课时 rule, the flags as the
/// visit records state them. The county's roles read the county; a coordinator reads their school only.
/// </summary>
public sealed class Reports(AppDbContext db, CurrentUser me, CurrentTerm currentTerm, HolidayCalendar holidays, VisitRecords visits, TimeProvider clock)
{
    /// <summary>The month report (<c>yyyy-MM</c>); a month outside every term is a report of zeros with a note.</summary>
    public async Task<Result<ReportAnswer>> MonthlyAsync(string? month, string? format, CancellationToken ct)
    {
        if (!me.May(Permission.ReadCoverage))
        {
            return Refusal.NotAllowed();
        }
        if (Validation.Check(ReportQueryValidator.Monthly, new ReportQuery(month, format)) is { } invalid)
        {
            return invalid;
        }
        var first = ParseMonth(month)!.Value;
        var last = first.AddMonths(1).AddDays(-1);
        var terms = await currentTerm.AllAsync(ct).ConfigureAwait(false);
        var unit = await UnitAsync(ct).ConfigureAwait(false);
        var figures = await FiguresAsync(first, last, terms, ct).ConfigureAwait(false);
        var previous = await FiguresAsync(first.AddMonths(-1), first.AddDays(-1), terms, ct).ConfigureAwait(false);
        var note = figures.Terms.Count switch
        {
            0 => "本月不在任何学期内，各项为零。",
            1 => null,
            _ => $"本月跨 {figures.Terms.Count} 个学期（{string.Join("、", figures.Terms)}），各项为各学期之和。",
        };
        var title = string.Create(CultureInfo.InvariantCulture, $"{unit} {first.Year}年{first.Month}月 送教上门工作月报");
        var report = Build("monthly", title, first, last, unit, figures, note, previous.Row("county", "上月"));
        return await AnswerAsync(report, format, $"monthly:{month}", ct).ConfigureAwait(false);
    }

    /// <summary>The term report: the whole term, with the trend by teaching week. Another county's term is not found.</summary>
    public async Task<Result<ReportAnswer>> TermAsync(Guid? termId, string? format, CancellationToken ct)
    {
        if (!me.May(Permission.ReadCoverage))
        {
            return Refusal.NotAllowed();
        }
        if (Validation.Check(ReportQueryValidator.ForTerm, new ReportQuery(null, format)) is { } invalid)
        {
            return invalid;
        }
        var terms = await currentTerm.AllAsync(ct).ConfigureAwait(false);
        var term = termId is { } id ? terms.SingleOrDefault(t => t.Id == new TermId(id)) : CurrentTerm.Pick(terms, currentTerm.Today);
        if (term is null)
        {
            return Refusal.NotFound();
        }
        var readable = CoverageReports.Readable(term);
        var unit = await UnitAsync(ct).ConfigureAwait(false);
        var figures = await FiguresAsync(readable.FirstDay, readable.LastDay, [term], ct).ConfigureAwait(false);
        var report = Build("term", $"{unit} {term.Name} 送教上门工作学期报告", readable.FirstDay, readable.LastDay, unit, figures, null, null);
        return await AnswerAsync(report, format, $"term:{term.Id}", ct).ConfigureAwait(false);
    }

    /// <summary><c>2026-11</c> → 2026-11-01; null for anything else or a year outside 2000–2100.</summary>
    public static DateOnly? ParseMonth(string? month) =>
        month is { Length: 7 } && DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)
            && first >= Validation.EarliestDate && first <= Validation.LatestDate
            ? first : null;

    private async Task<Result<ReportAnswer>> AnswerAsync(Report report, string? format, string objectId, CancellationToken ct)
    {
        if (format is null or "json")
        {
            return new ReportAnswer(report, null);
        }
        var name = ExportFile.FileNamePart(report.Title).Replace(' ', '-');
        var file = format == "xlsx"
            ? new ExportFile(ReportSheet.Build(report), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{name}.xlsx")
            // The printable document opens in the browser (no file name), to be printed from there, as the teaching file's does.
            : new ExportFile(System.Text.Encoding.UTF8.GetBytes(ReportHtml.Document(report)), "text/html; charset=utf-8", "");
        // The file is made first: an export that fails leaves no audit row claiming it happened.
        await db.RecordReadAsync("exported", "Report", objectId, $"format: {format}; unit: {report.Unit}", ct).ConfigureAwait(false);
        return new ReportAnswer(report, file);
    }

    /// <summary>填报单位: the county; a coordinator's report is their school's.</summary>
    private async Task<string> UnitAsync(CancellationToken ct)
    {
        if (me.IsCoordinator && me.SchoolId is { } school)
        {
            var name = await db.Schools.AsNoTracking().Where(s => s.Id == school && s.CountyCode == me.CountyCode).Select(s => s.Name).SingleOrDefaultAsync(ct).ConfigureAwait(false);
            if (name is not null)
            {
                return name;
            }
        }
        return (await db.Counties.AsNoTracking().SingleOrDefaultAsync(c => c.Code == me.CountyCode, ct).ConfigureAwait(false))?.Name ?? me.CountyCode;
    }

    private Report Build(string kind, string title, DateOnly first, DateOnly last, string unit, Figures f, string? note, ReportRow? previous)
    {
        var all = f.Children.Values.ToList();
        return new Report(kind, title, first, last, unit, Conventions.ChinaDay(clock.GetUtcNow()), f.Terms, note,
            f.Row("county", unit), previous,
            [.. all.GroupBy(c => Conventions.TownshipOf(c.Child.VillageCode) ?? "").OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => Figures.RowOf(g.Key, f.Townships.GetValueOrDefault(g.Key, g.Key), g))],
            [.. all.GroupBy(c => c.Child.SchoolOfRecordId).Select(g => Figures.RowOf(g.Key.Value.ToString(), f.Schools.GetValueOrDefault(g.Key, "（未知学校）"), g))
                .OrderBy(r => r.Name, StringComparer.Ordinal)],
            [.. all.GroupBy(c => c.Child.DisabilityCategory).OrderBy(g => g.Key).Select(g => Figures.RowOf(g.Key.ToString(), Zh.Of(g.Key), g))],
            f.FlaggedRecords, f.Flags, f.Staff, f.Staff.Sum(s => s.TravelMinutes), f.Trend);
    }

    /// <summary>What happened to one session of the period, as the term's record states it.</summary>
    private sealed record SessionFact(TimetableSession Session, SessionStatus Status, int Lessons, int Minutes, IReadOnlyList<Guid> Staff);

    /// <summary>One child of the period: on 送教 or not (a flagged record may belong to a child whose plan was not), its sessions, its past weeks.</summary>
    private sealed class ChildFact(Student child)
    {
        public Student Child { get; } = child;
        public bool OnPlan { get; set; }
        public List<SessionFact> Sessions { get; } = [];
        public List<(string Week, CoverageStatus Status)> Weeks { get; } = [];
        public int Flagged { get; set; }
    }

    private sealed class Figures
    {
        public Dictionary<StudentId, ChildFact> Children { get; } = [];
        public List<string> Terms { get; } = [];
        public Dictionary<string, string> Townships { get; set; } = [];
        public Dictionary<SchoolId, string> Schools { get; set; } = [];
        public int FlaggedRecords { get; set; }
        public List<FlagCount> Flags { get; set; } = [];
        public List<StaffRow> Staff { get; set; } = [];
        public List<WeekPoint> Trend { get; set; } = [];

        public ReportRow Row(string key, string name) => RowOf(key, name, Children.Values);

        public static ReportRow RowOf(string key, string name, IEnumerable<ChildFact> group)
        {
            var children = group.ToList();
            var sessions = children.SelectMany(c => c.Sessions).ToList();
            var weeks = children.SelectMany(c => c.Weeks).ToList();
            var met = weeks.Count(w => w.Status == CoverageStatus.Met);
            var delivered = sessions.Where(s => s.Status == SessionStatus.Delivered).ToList();
            return new ReportRow(key, name, children.Count(c => c.OnPlan), sessions.Count, delivered.Count,
                sessions.Count(s => s.Status == SessionStatus.Missed), sessions.Count(s => s.Status == SessionStatus.Scheduled),
                delivered.Sum(s => s.Lessons), weeks.Count, met, Rate(met, weeks.Count), children.Sum(c => c.Flagged),
                Math.Round(delivered.Sum(s => s.Minutes * Math.Max(1, s.Staff.Count)) / 60.0, 1));
        }
    }

    /// <summary>Met ÷ required, to four places; no rate when no week was required.</summary>
    private static double? Rate(int met, int required) => required == 0 ? null : Math.Round((double)met / required, 4);

    /// <summary>A week belongs to the period its Thursday falls in (as an ISO week belongs to the year of its Thursday).</summary>
    private static bool InPeriod(CalendarWeek week, DateOnly first, DateOnly last) => week.Monday.AddDays(3) is var thursday && first <= thursday && thursday <= last;

    private async Task<Figures> FiguresAsync(DateOnly first, DateOnly last, IReadOnlyList<Term> terms, CancellationToken ct)
    {
        var f = new Figures();
        var now = clock.GetUtcNow();
        var periodSessions = new List<TimetableSession>();
        var trendWeeks = new SortedSet<string>(StringComparer.Ordinal);
        var weekFacts = new List<(string Week, CoverageStatus Status)>();
        foreach (var stored in terms)
        {
            var term = CoverageReports.Readable(stored);
            if (term.LastDay < first || term.FirstDay > last)
            {
                continue;
            }
            f.Terms.Add(term.Name);
            var record = await TermRecord.LoadAsync(db, me.CountyCode, term, holidays, now, null, ct).ConfigureAwait(false);
            foreach (var week in TermCalendar.Weeks(term, holidays, []).Where(w => InPeriod(w, first, last)))
            {
                trendWeeks.Add(week.Week);
            }
            foreach (var child in record.Children.Where(c => me.ActsFor(c.SchoolOfRecordId)))
            {
                if (!record.SpansOf(child.Id).Any(s => s.From <= last && s.Until >= first))
                {
                    continue;
                }
                if (!f.Children.TryGetValue(child.Id, out var fact))
                {
                    f.Children[child.Id] = fact = new ChildFact(child);
                }
                fact.OnPlan = true;
                foreach (var session in record.InSpan(child.Id).Where(s => first <= s.Date && s.Date <= last))
                {
                    var status = record.StatusOf(session);
                    if (status == SessionStatus.Cancelled)
                    {
                        continue;
                    }
                    var visit = record.RecordOf(session);
                    // The ledger's rule for 课时 and its times: the visit's own when it was delivered, else the session's.
                    var times = visit is { Missed: false } v ? (v.Start, v.End) : (session.Start, session.End);
                    var delivered = status == SessionStatus.Delivered;
                    var minutes = delivered && times.End > times.Start ? (int)(times.End.ToTimeSpan() - times.Start.ToTimeSpan()).TotalMinutes : 0;
                    IReadOnlyList<Guid> staff = visit is { Missed: false, StaffPresent.Count: > 0 } present ? present.StaffPresent : session.StaffIds;
                    fact.Sessions.Add(new SessionFact(session, status, delivered ? LedgerExport.Lessons(times, record.Policy.LessonMinutes) : 0, minutes, staff));
                    periodSessions.Add(session);
                    trendWeeks.Add(session.Week);
                }
                // Coverage of the teaching weeks of the period that are over: Met or Missed (exempt and not-in-plan weeks require nothing).
                foreach (var week in record.WeeksOf(child).Where(w => InPeriod(w, first, last) && w.Monday.AddDays(6) < record.Today))
                {
                    var status = record.Coverage(child, week.Week).Status;
                    if (status is CoverageStatus.Met or CoverageStatus.Missed)
                    {
                        fact.Weeks.Add((week.Week, status));
                    }
                }
            }
        }
        await FlagsAsync(f, first, last, ct).ConfigureAwait(false);
        var townships = await db.Townships.AsNoTracking().Where(t => t.CountyCode == me.CountyCode).ToListAsync(ct).ConfigureAwait(false);
        f.Townships = townships.ToDictionary(t => t.Code, t => t.Name, StringComparer.Ordinal);
        var schools = await db.Schools.AsNoTracking().Where(s => s.CountyCode == me.CountyCode).ToListAsync(ct).ConfigureAwait(false);
        f.Schools = schools.ToDictionary(s => s.Id, s => s.Name);
        await StaffAsync(f, periodSessions, ct).ConfigureAwait(false);
        var facts = f.Children.Values.ToList();
        f.Trend = [.. trendWeeks.Select(week =>
        {
            var sessions = facts.SelectMany(c => c.Sessions).Where(s => s.Session.Week == week).ToList();
            var weeks = facts.SelectMany(c => c.Weeks).Where(w => w.Week == week).ToList();
            var met = weeks.Count(w => w.Status == CoverageStatus.Met);
            return new WeekPoint(week, sessions.Count, sessions.Count(s => s.Status == SessionStatus.Delivered), sessions.Count(s => s.Status == SessionStatus.Missed),
                weeks.Count, met, Rate(met, weeks.Count));
        })];
        return f;
    }

    /// <summary>The flags as the visit records state them (<see cref="VisitRecords.ListAsync"/>, the caller's scope): each session's newest record of the period.</summary>
    private async Task FlagsAsync(Figures f, DateOnly first, DateOnly last, CancellationToken ct)
    {
        var listed = await visits.ListAsync(null, first, last, null, ct).ConfigureAwait(false);
        if (!listed.Succeeded)
        {
            return;
        }
        var newest = listed.Value.GroupBy(v => v.SessionKey, StringComparer.Ordinal).Select(g => g.MaxBy(v => v.Version)!).Where(v => v.Flags.Count > 0).ToList();
        f.FlaggedRecords = newest.Count;
        f.Flags = [.. newest.SelectMany(v => v.Flags.Distinct(StringComparer.Ordinal)).GroupBy(c => c, StringComparer.Ordinal)
            .Select(g => new FlagCount(g.Key, Zh.VisitFlag(g.Key), g.Count())).OrderByDescending(x => x.Records).ThenBy(x => x.Code, StringComparer.Ordinal)];
        var missing = newest.Select(v => new StudentId(v.StudentId)).Where(id => !f.Children.ContainsKey(id)).Distinct().ToList();
        if (missing.Count > 0)
        {
            foreach (var child in await db.Students.AsNoTracking().Where(s => s.CountyCode == me.CountyCode && missing.Contains(s.Id)).ToListAsync(ct).ConfigureAwait(false))
            {
                f.Children[child.Id] = new ChildFact(child);
            }
        }
        foreach (var v in newest)
        {
            if (f.Children.TryGetValue(new StudentId(v.StudentId), out var fact))
            {
                fact.Flagged++;
            }
        }
    }

    /// <summary>Hours of each staff member's delivered sessions, and the timetable's roads of their sessions in the period (<see cref="DayRoutes"/>).</summary>
    private async Task StaffAsync(Figures f, List<TimetableSession> sessions, CancellationToken ct)
    {
        var delivered = f.Children.Values.SelectMany(c => c.Sessions).Where(s => s.Status == SessionStatus.Delivered).ToList();
        var ids = sessions.SelectMany(s => s.StaffIds).Concat(delivered.SelectMany(s => s.Staff)).Distinct().Select(id => new StaffId(id)).ToList();
        if (ids.Count == 0)
        {
            return;
        }
        var staff = await db.Staff.AsNoTracking().Where(s => s.CountyCode == me.CountyCode && ids.Contains(s.Id)).ToListAsync(ct).ConfigureAwait(false);
        var students = f.Children.ToDictionary(c => c.Key, c => c.Value.Child);
        f.Staff = [.. staff.Select(s =>
        {
            var mine = delivered.Where(d => d.Staff.Contains(s.Id.Value)).ToList();
            var travel = DayRoutes.For(s, sessions, students, _ => "").Sum(d => d.TravelMinutes);
            return new StaffRow(s.Id.Value, s.Name, mine.Count, Math.Round(mine.Sum(d => d.Minutes) / 60.0, 1), travel);
        }).OrderBy(r => r.Name, StringComparer.Ordinal)];
    }
}
