using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Feeds;
using ControlDropout.Web.Features.Timetables;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Visits;

public sealed record VisitRequest(
    string SessionKey, DateOnly Date, string Start, string End, IReadOnlyList<Guid>? StaffPresent, VisitPlace Place,
    string? Content, IReadOnlyList<string>? GoalsAddressed, string? ChildResponse, string? GuardianFeedback, string? GuardianName,
    string? HomeTask, bool Missed, string? MissedReason, DateOnly? MakeUpDate, string? CorrectionReason, string? RescheduleReason = null,
    GuardianConfirmation Confirmation = GuardianConfirmation.None, IReadOnlyList<string>? SignatureStrokes = null, string? ConfirmationCode = null,
    DateTimeOffset? ConfirmedAt = null, DateTimeOffset? CheckInAt = null, double? CheckInLat = null, double? CheckInLon = null, int? CheckInAccuracyMeters = null,
    IReadOnlyList<Guid>? PhotoIds = null);

public sealed record VisitDto(
    Guid Id, string SessionKey, Guid StudentId, int Version, Guid? PreviousId, string? CorrectionReason, DateOnly Date, string Start, string End,
    IReadOnlyList<Guid> StaffPresent, string Mode, VisitPlace Place, string Content, IReadOnlyList<string> GoalsAddressed, string ChildResponse,
    string GuardianFeedback, string GuardianName, string HomeTask, bool Missed, string? MissedReason, DateOnly? MakeUpDate, string? RescheduleReason,
    string RecordedBy, DateTimeOffset RecordedAt, IReadOnlyList<string> Flags, IReadOnlyDictionary<string, string> FlagDetails,
    GuardianConfirmation Confirmation = GuardianConfirmation.None, DateTimeOffset? ConfirmedAt = null, bool HasSignature = false,
    DateTimeOffset? CheckInAt = null, int? CheckInDistanceMeters = null, IReadOnlyList<Guid>? PhotoIds = null);

/// <summary>
/// One published session as its page shows it: the child, the plan's goals, the record if there is one, whether
/// the caller may record it, and what the session came to (<see cref="RecordFacts.StatusOf"/>).
/// </summary>
/// <param name="MeetingLink">A remote session's meeting link (<see cref="Plans.MeetingLinks.Of"/>: its own, else the plan's in force).</param>
public sealed record SessionSheet(TimetableSession Session, Student Child, IReadOnlyList<string> Goals, VisitDto? Existing, bool MayRecord, SessionStatus Status,
    string? MeetingLink = null);

/// <summary>
/// 送教记录: recorded against published sessions by their team (or the school's coordinator), corrected by
/// version, flagged when they look wrong. A teacher sees the records of their own sessions, a coordinator
/// those of their school's children, the county's other roles the county's.
/// A record belongs to its session: its date is the session's (or a declared reschedule within the term,
/// flagged), its people are the session's team. A write is checked whole, flags included, before it is
/// stored; a stored record that cannot be shown is shown marked, never a failed list.
/// </summary>
public sealed partial class VisitRecords(AppDbContext db, CurrentUser me, TimeProvider clock, ConfirmationCodes codes, ConfirmationAttempts attempts, ILogger<VisitRecords> log, StoredFeeds feeds)
{
    /// <summary>Within this time a record may be corrected in place; after it, a correction is a new version with a reason.</summary>
    public static readonly TimeSpan CorrectInPlace = TimeSpan.FromHours(24);

    private static Refusal NotYourSession() => Refusal.Forbidden("not_your_session", "只有该课次的送教团队成员或本校协调员可以记录");

    private bool MayRead => me.May(Permission.RecordVisits) || me.May(Permission.ReadCoverage);

    /// <summary>The session page: the session, its child and its record, for anyone who may see that child's sessions.</summary>
    public async Task<Result<SessionSheet>> OpenAsync(string key, CancellationToken ct)
    {
        if (!MayRead)
        {
            return Refusal.NotAllowed();
        }
        if (await PublishedSessionAsync(key, ct).ConfigureAwait(false) is not { } session)
        {
            return Refusal.NotFound();
        }
        var child = await db.Students.AsNoTracking().SingleAsync(s => s.Id == session.StudentId, ct).ConfigureAwait(false);
        // A teacher sees only their own sessions, a coordinator only their school's children: others' are as absent as missing ones.
        if (!InScope(session, child))
        {
            return Refusal.NotFound();
        }
        var plans = await db.Plans.AsNoTracking().Include(p => p.Versions).Where(p => p.StudentId == child.Id).ToListAsync(ct).ConfigureAwait(false);
        var inForce = plans.SelectMany(p => p.Versions).Where(v => v.Status is PlanStatus.Approved or PlanStatus.Active).OrderByDescending(v => v.Number).FirstOrDefault();
        var goals = inForce?.Goals ?? [];
        var existing = await db.Visits.AsNoTracking().Where(v => v.CountyCode == me.CountyCode && v.SessionKey == key)
            .OrderByDescending(v => v.Version).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        var dto = existing is null ? null : (await ToDtoAsync([existing], ct).ConfigureAwait(false))[0];
        var policy = await PolicyAsync(ct).ConfigureAwait(false);
        return new SessionSheet(session, child, [.. goals], dto, me.May(Permission.RecordVisits), RecordFacts.StatusOf(session, clock.GetUtcNow(), policy.MissedGraceHours),
            Plans.MeetingLinks.Of(session, inForce));
    }

    public async Task<Result<VisitDto>> RecordAsync(VisitRequest request, CancellationToken ct)
    {
        if (!me.May(Permission.RecordVisits))
        {
            return Refusal.NotAllowed();
        }
        if (Validation.Check(VisitRequestValidator.Instance, request) is { } refusal)
        {
            return refusal;
        }
        if (await PublishedSessionAsync(request.SessionKey, ct).ConfigureAwait(false) is not { } session)
        {
            return Refusal.NotFound();
        }
        if (!await MayRecordAsync(session, ct).ConfigureAwait(false))
        {
            return NotYourSession();
        }
        var (errors, rescheduled) = await BelongsToSessionAsync(request, session, ct).ConfigureAwait(false);
        await CheckEvidenceAsync(request, session, null, errors, ct).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            return Refusal.Invalid(errors);
        }
        if (await db.Visits.AnyAsync(v => v.SessionKey == request.SessionKey, ct).ConfigureAwait(false))
        {
            return AlreadyRecorded();
        }
        if (await CheckCodeAsync(request, session, ct).ConfigureAwait(false) is { } wrongCode)
        {
            return wrongCode;
        }
        var record = Build(request, session, rescheduled, version: 1, previous: null);
        EvidenceOf(request, null).ApplyTo(record);
        record.RequireAsOf(await PolicyAsync(ct).ConfigureAwait(false));
        // Everything that can fail — the flags, the answer — is done before anything is stored.
        var answer = (await ToDtoAsync([record], ct).ConfigureAwait(false))[0];
        db.Visits.Add(record);
        await MarkSessionAsync(record, ct).ConfigureAwait(false);
        try
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            if (!await StoredAsync(record.SessionKey, record.Version, ct).ConfigureAwait(false))
            {
                throw;
            }
            // The same visit sent twice at once (a phone retrying on a weak signal): the first one stands.
            return AlreadyRecorded();
        }
        // The session's status and sequence moved: its team's feeds are rebuilt at their next request (marked after the
        // save, which must stay alone to tell a lost race).
        await feeds.MarkStaleAsync(me.CountyCode, session.StaffIds, ct).ConfigureAwait(false);
        Telemetry.VisitRecorded(correction: false);
        return answer;
    }

    /// <summary>
    /// Whether a failed save lost the race for this version of the session (the unique index refused it):
    /// a conflict to answer. Any other failure is not dressed up as one — it surfaces, and nothing was stored.
    /// </summary>
    private Task<bool> StoredAsync(string sessionKey, int version, CancellationToken ct) =>
        db.Visits.AsNoTracking().AnyAsync(v => v.SessionKey == sessionKey && v.Version == version, ct);

    public static Refusal AlreadyRecorded() => Refusal.Conflict("already_recorded", "该课次已有记录；如需更正请修改原记录");

    private const string CorrectedSession = "(the record's own)";

    public async Task<Result<VisitDto>> CorrectAsync(Guid id, VisitRequest request, CancellationToken ct)
    {
        if (!me.May(Permission.RecordVisits))
        {
            return Refusal.NotAllowed();
        }
        // A correction's session is the record's own: the key in the body is ignored, so it is not checked either.
        if (Validation.Check(VisitRequestValidator.Instance, request with { SessionKey = CorrectedSession }) is { } refusal)
        {
            return refusal;
        }
        var current = await db.Visits.SingleOrDefaultAsync(v => v.Id == id && v.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
        if (current is null || await db.Visits.AnyAsync(v => v.SessionKey == current.SessionKey && v.Version > current.Version, ct).ConfigureAwait(false))
        {
            return Refusal.NotFound();
        }
        if (await PublishedSessionAsync(current.SessionKey, ct).ConfigureAwait(false) is not { } session)
        {
            return Refusal.NotFound();
        }
        if (!await MayRecordAsync(session, ct).ConfigureAwait(false))
        {
            return NotYourSession();
        }
        var (errors, rescheduled) = await BelongsToSessionAsync(request, session, ct).ConfigureAwait(false);
        var late = clock.GetUtcNow() - current.RecordedAt > CorrectInPlace;
        if (late && string.IsNullOrWhiteSpace(request.CorrectionReason))
        {
            errors.Add(new ApiError("correctionReason", "记录已超过 24 小时，更正须填写原因"));
        }
        await CheckEvidenceAsync(request, session, current, errors, ct).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            return Refusal.Invalid(errors);
        }
        if (await CheckCodeAsync(request, session, ct).ConfigureAwait(false) is { } wrongCode)
        {
            return wrongCode;
        }
        // A correction that sends no evidence keeps the evidence of the record it corrects (piece by piece).
        var evidence = EvidenceOf(request, current);
        VisitRecord result;
        if (late)
        {
            // After 24 hours the record as first written stays; the correction is a new version.
            result = Build(request with { SessionKey = current.SessionKey }, session, rescheduled, current.Version + 1, current);
            evidence.ApplyTo(result);
            result.RequireAsOf(current);
        }
        else
        {
            var fresh = Build(request with { SessionKey = current.SessionKey }, session, rescheduled, current.Version, null);
            (current.Date, current.Start, current.End, current.StaffPresent, current.Place, current.Content, current.GoalsAddressed) =
                (fresh.Date, fresh.Start, fresh.End, fresh.StaffPresent, fresh.Place, fresh.Content, fresh.GoalsAddressed);
            (current.ChildResponse, current.GuardianFeedback, current.GuardianName, current.HomeTask, current.Missed, current.MissedReason, current.MakeUpDate) =
                (fresh.ChildResponse, fresh.GuardianFeedback, fresh.GuardianName, fresh.HomeTask, fresh.Missed, fresh.MissedReason, fresh.MakeUpDate);
            current.RescheduleReason = fresh.RescheduleReason;
            evidence.ApplyTo(current);
            result = current;
        }
        // The answer (and its flags) first: a failure there leaves the record as it was.
        var answer = (await ToDtoAsync([result], ct).ConfigureAwait(false))[0];
        if (late)
        {
            db.Visits.Add(result);
        }
        await MarkSessionAsync(result, ct).ConfigureAwait(false);
        try
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            if (!late || !await StoredAsync(result.SessionKey, result.Version, ct).ConfigureAwait(false))
            {
                throw;
            }
            return Refusal.Conflict("already_corrected", "该记录刚被他人更正，请刷新");
        }
        await feeds.MarkStaleAsync(me.CountyCode, session.StaffIds, ct).ConfigureAwait(false);
        Telemetry.VisitRecorded(correction: true);
        return answer;
    }

    /// <summary>The records the caller may see, oldest first, each with its flags.</summary>
    public async Task<Result<List<VisitDto>>> ListAsync(StudentId? studentId, DateOnly? from, DateOnly? to, bool? flagged, CancellationToken ct)
    {
        if (!MayRead)
        {
            return Refusal.NotAllowed();
        }
        var query = Visible();
        if (studentId is { } s)
        {
            query = query.Where(v => v.StudentId == s);
        }
        if (from is { } f)
        {
            query = query.Where(v => v.Date >= f);
        }
        if (to is { } t)
        {
            query = query.Where(v => v.Date <= t);
        }
        var visits = await query.ToListAsync(ct).ConfigureAwait(false);
        if (me.IsTeacher)
        {
            // A teacher's records: of the sessions on which they are in the team, or were present.
            var myself = me.StaffId?.Value ?? Guid.Empty;
            var teams = (await db.SessionStaff.Where(t => t.StaffId == myself).Join(db.Sessions, t => t.SessionId, x => x.Id, (_, x) => x.SessionKey)
                .Distinct().ToListAsync(ct).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
            visits = [.. visits.Where(v => v.StaffPresent.Contains(myself) || teams.Contains(v.SessionKey))];
        }
        var dtos = await ToDtoAsync(visits, ct).ConfigureAwait(false);
        return dtos.Where(d => flagged is null || (d.Flags.Count > 0) == flagged).OrderBy(d => d.Date).ThenBy(d => d.Start, StringComparer.Ordinal).ToList();
    }

    /// <summary>The inspector's list: every flagged record of the county (a coordinator's: of their school), newest first.</summary>
    public async Task<Result<List<VisitDto>>> FlaggedAsync(CancellationToken ct)
    {
        if (!me.May(Permission.ReadCoverage))
        {
            return Refusal.NotAllowed();
        }
        var list = await ListAsync(null, null, null, flagged: true, ct).ConfigureAwait(false);
        return list.Succeeded ? list.Value.OrderByDescending(v => v.Date).ToList() : list;
    }

    /// <summary>The county's records, narrowed to a coordinator's school (a teacher's are narrowed after loading, by team).</summary>
    private IQueryable<VisitRecord> Visible()
    {
        var query = db.Visits.AsNoTracking().Where(v => v.CountyCode == me.CountyCode);
        if (me.IsCoordinator)
        {
            var school = me.SchoolId;
            var mine = db.Students.Where(s => s.CountyCode == me.CountyCode && s.SchoolOfRecordId == school).Select(s => s.Id);
            query = query.Where(v => mine.Contains(v.StudentId));
        }
        return query;
    }

    /// <summary>
    /// A stored record is a fact of its session: the session's rows in the county's published timetables become
    /// delivered (or missed, when the record says so), changed now and one sequence on (the feeds send the change).
    /// Tracked, so that they are stored in the same save as the record.
    /// </summary>
    private async Task MarkSessionAsync(VisitRecord record, CancellationToken ct)
    {
        var published = db.Timetables.Where(t => t.CountyCode == me.CountyCode && t.Status == TimetableStatus.Published).Select(t => t.Id);
        var rows = await db.Sessions.Where(s => published.Contains(s.TimetableId) && s.SessionKey == record.SessionKey).ToListAsync(ct).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        foreach (var row in rows)
        {
            row.Status = record.Missed ? SessionStatus.Missed : SessionStatus.Delivered;
            row.ChangedAt = now;
            row.Sequence++;
        }
    }

    private async Task<CountyPolicy> PolicyAsync(CancellationToken ct) =>
        await db.Policies.AsNoTracking().SingleOrDefaultAsync(p => p.CountyCode == me.CountyCode, ct).ConfigureAwait(false) ?? CountyPolicy.LincangDefault(me.CountyCode);

    private Task<TimetableSession?> PublishedSessionAsync(string key, CancellationToken ct) => SessionScope.PublishedAsync(db, me.CountyCode, key, ct);

    /// <summary>A teacher's scope is their sessions; a coordinator's their school's children; the county's other roles read the county.</summary>
    private bool InScope(TimetableSession session, Student child) => me.Holds(session, child);

    private async Task<bool> MayRecordAsync(TimetableSession session, CancellationToken ct)
    {
        var child = await db.Students.AsNoTracking().SingleOrDefaultAsync(s => s.Id == session.StudentId && s.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
        return child is not null && me.May(Permission.RecordVisits) && InScope(session, child);
    }

    /// <summary>
    /// A record belongs to its session: on a date the session had in one of its published versions (a
    /// leave re-plan may move it), or on another day of the term with a declared reason (改期, flagged);
    /// with people of the session's team (after a leave re-plan: the substitute too). Each bad field is named.
    /// </summary>
    private async Task<(List<ApiError> Errors, bool Rescheduled)> BelongsToSessionAsync(VisitRequest r, TimetableSession session, CancellationToken ct)
    {
        var errors = new List<ApiError>();
        var timetables = db.Timetables.Where(t => t.CountyCode == me.CountyCode && (t.Status == TimetableStatus.Published || t.Status == TimetableStatus.Superseded));
        var versions = await db.Sessions.AsNoTracking().Where(s => s.SessionKey == session.SessionKey && timetables.Any(t => t.Id == s.TimetableId))
            .ToListAsync(ct).ConfigureAwait(false);
        versions.Add(session);
        var dates = versions.Select(v => v.Date).ToHashSet();
        var team = versions.SelectMany(v => v.StaffIds).ToHashSet();
        var rescheduled = !dates.Contains(r.Date);
        if (rescheduled && r.Missed)
        {
            errors.Add(new ApiError("date", $"未送教的记录日期须为课次日期（{Zh.Date(session.Date)}）；补课日期请填在补课日期"));
        }
        else if (rescheduled && string.IsNullOrWhiteSpace(r.RescheduleReason))
        {
            errors.Add(new ApiError("date", $"日期须为课次日期（{Zh.Date(session.Date)}）；如已改期，请填写改期原因"));
        }
        else if (rescheduled)
        {
            var termId = await db.Timetables.AsNoTracking().Where(t => t.Id == session.TimetableId).Select(t => t.TermId).SingleAsync(ct).ConfigureAwait(false);
            var term = await db.Terms.AsNoTracking().SingleOrDefaultAsync(t => t.Id == termId, ct).ConfigureAwait(false);
            if (term is null || r.Date < term.FirstDay || r.Date > term.LastDay)
            {
                errors.Add(new ApiError("date", "改期后的日期须在本学期内"));
            }
        }
        var present = r.StaffPresent ?? [];
        for (var i = 0; i < present.Count; i++)
        {
            if (!team.Contains(present[i]))
            {
                errors.Add(new ApiError($"staffPresent[{i}]", "不是该课次的送教人员"));
            }
        }
        return (errors, rescheduled);
    }

    /// <summary>The record as stored; the request has passed the validator and the session's rules.</summary>
    private VisitRecord Build(VisitRequest r, TimetableSession session, bool rescheduled, int version, VisitRecord? previous) => new()
    {
        CountyCode = me.CountyCode, SessionKey = session.SessionKey, StudentId = session.StudentId, Version = version, PreviousId = previous?.Id,
        CorrectionReason = previous is null ? null : r.CorrectionReason?.Trim(), Date = r.Date,
        Start = VisitRequestValidator.Time(r.Start) ?? session.Start, End = VisitRequestValidator.Time(r.End) ?? session.End,
        StaffPresent = [.. (r.StaffPresent ?? []).Distinct()], Mode = session.Mode, Place = r.Place, Content = r.Content?.Trim() ?? "",
        GoalsAddressed = [.. r.GoalsAddressed ?? []], ChildResponse = r.ChildResponse?.Trim() ?? "", GuardianFeedback = r.GuardianFeedback?.Trim() ?? "",
        GuardianName = r.GuardianName?.Trim() ?? "", HomeTask = r.HomeTask?.Trim() ?? "", Missed = r.Missed,
        MissedReason = r.Missed ? r.MissedReason?.Trim() : null,
        RescheduleReason = rescheduled ? r.RescheduleReason?.Trim() : null,
        MakeUpDate = r.MakeUpDate, RecordedBy = me.UserName, RecordedAt = clock.GetUtcNow(),
    };

    /// <summary>A phone's clock may run a little ahead of the server's.</summary>
    private static readonly TimeSpan PhoneClockSlack = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The evidence's rules that depend on the session: a check-in not after the record (as first written) and not
    /// more than a day before the visit; each photo one uploaded for this session in this county. Each bad field is named.
    /// </summary>
    private async Task CheckEvidenceAsync(VisitRequest r, TimetableSession session, VisitRecord? corrected, List<ApiError> errors, CancellationToken ct)
    {
        if (r.CheckInAt is { } checkIn)
        {
            var latest = (corrected?.RecordedAt ?? clock.GetUtcNow()) + PhoneClockSlack;
            var start = new DateTimeOffset(r.Date.ToDateTime(VisitRequestValidator.Time(r.Start) ?? session.Start), Conventions.ChinaOffset);
            if (checkIn > latest)
            {
                errors.Add(new ApiError("checkInAt", "签到时间不能晚于记录时间"));
            }
            else if (checkIn < start.AddDays(-1))
            {
                errors.Add(new ApiError("checkInAt", "签到时间不能早于送教前一天"));
            }
        }
        if (r.PhotoIds is { Count: > 0 } photos)
        {
            var wanted = photos.Distinct().ToList();
            var known = (await db.VisitPhotos.AsNoTracking().Where(p => p.CountyCode == me.CountyCode && p.SessionKey == session.SessionKey && wanted.Contains(p.Id))
                .Select(p => p.Id).ToListAsync(ct).ConfigureAwait(false)).ToHashSet();
            for (var i = 0; i < photos.Count; i++)
            {
                if (!known.Contains(photos[i]) || photos.Take(i).Contains(photos[i]))
                {
                    errors.Add(new ApiError($"photoIds[{i}]", "不是本课次上传的照片（或重复）"));
                }
            }
        }
    }

    /// <summary>
    /// A 确认码 must be the child's code for the session's term. Wrong ones are counted per child and Beijing day — the
    /// code is the child's, so its sessions share one budget (<see cref="ConfirmationAttempts"/>, in the database): after five
    /// the code is not tried again that day (429).
    /// </summary>
    private async Task<Refusal?> CheckCodeAsync(VisitRequest r, TimetableSession session, CancellationToken ct)
    {
        if (r.Confirmation != GuardianConfirmation.Code)
        {
            return null;
        }
        var day = Conventions.ChinaDay(clock.GetUtcNow());
        if (await attempts.ExhaustedAsync(me.CountyCode, session.StudentId, day, ct).ConfigureAwait(false))
        {
            const string tooMany = "确认码错误次数过多，今天不能再试；请家长在屏幕上签名";
            return new Refusal(StatusCodes.Status429TooManyRequests, "too_many_attempts", tooMany, [new ApiError("confirmationCode", tooMany)]);
        }
        var term = await db.Timetables.AsNoTracking().Where(t => t.Id == session.TimetableId).Select(t => t.TermId).SingleAsync(ct).ConfigureAwait(false);
        if (await codes.MatchesAsync(session.StudentId, term, r.ConfirmationCode, ct).ConfigureAwait(false))
        {
            return null;
        }
        await attempts.WrongAsync(me.CountyCode, session.StudentId, day, ct).ConfigureAwait(false);
        const string wrong = "确认码不对，请核对家庭课表卡上的 4 位确认码";
        return Refusal.Unprocessable("wrong_confirmation_code", wrong, [new ApiError("confirmationCode", wrong)]);
    }

    /// <summary>The evidence a record stores: what the request sends, and for each piece it does not send, the corrected record's.</summary>
    private Evidence EvidenceOf(VisitRequest r, VisitRecord? corrected)
    {
        var now = clock.GetUtcNow();
        var kept = corrected is null ? Evidence.None : Evidence.Of(corrected);
        // The phone's time of the confirmation (a record sent later from the outbox), unless it lies in the future.
        var confirmedAt = r.ConfirmedAt is { } at && at <= now + PhoneClockSlack ? at : now;
        var (confirmation, svg, when) = r.Confirmation switch
        {
            GuardianConfirmation.Signature => (GuardianConfirmation.Signature, Signatures.Svg(r.SignatureStrokes ?? []), (DateTimeOffset?)confirmedAt),
            GuardianConfirmation.Code => (GuardianConfirmation.Code, null, confirmedAt),
            _ => (kept.Confirmation, kept.SignatureSvg, kept.ConfirmedAt),
        };
        var photos = r.PhotoIds is { } ids ? [.. ids.Distinct()] : kept.PhotoIds;
        return r.CheckInAt is { } checkedIn
            ? new Evidence(confirmation, svg, when, checkedIn, Coarse(r.CheckInLat), Coarse(r.CheckInLon), r.CheckInLat is null ? null : r.CheckInAccuracyMeters, photos)
            : new Evidence(confirmation, svg, when, kept.CheckInAt, kept.CheckInLat, kept.CheckInLon, kept.CheckInAccuracyMeters, photos);
    }

    /// <summary>A position to about 100 m: three decimals of a degree.</summary>
    private static double? Coarse(double? degrees) => degrees is { } d ? Math.Round(d, 3, MidpointRounding.AwayFromZero) : null;

    private sealed record Evidence(GuardianConfirmation Confirmation, string? SignatureSvg, DateTimeOffset? ConfirmedAt, DateTimeOffset? CheckInAt,
        double? CheckInLat, double? CheckInLon, int? CheckInAccuracyMeters, List<Guid> PhotoIds)
    {
        public static readonly Evidence None = new(GuardianConfirmation.None, null, null, null, null, null, null, []);

        public static Evidence Of(VisitRecord r) =>
            new(r.Confirmation, r.SignatureSvg, r.ConfirmedAt, r.CheckInAt, r.CheckInLat, r.CheckInLon, r.CheckInAccuracyMeters, [.. r.PhotoIds]);

        public void ApplyTo(VisitRecord r)
        {
            (r.Confirmation, r.SignatureSvg, r.ConfirmedAt) = (Confirmation, SignatureSvg, ConfirmedAt);
            (r.CheckInAt, r.CheckInLat, r.CheckInLon, r.CheckInAccuracyMeters) = (CheckInAt, CheckInLat, CheckInLon, CheckInAccuracyMeters);
            r.PhotoIds = [.. PhotoIds];
        }
    }

    /// <summary>
    /// The guardian's signature of a record the caller may see, as our own SVG; the read is on the audit trail.
    /// 404 for a record out of scope, or one without a signature.
    /// </summary>
    public async Task<Result<string>> SignatureAsync(Guid id, CancellationToken ct)
    {
        if (!MayRead)
        {
            return Refusal.NotAllowed();
        }
        var record = await Visible().Where(v => v.Id == id).SingleOrDefaultAsync(ct).ConfigureAwait(false);
        if (record?.SignatureSvg is not { } svg || !await TeacherSeesAsync(record, ct).ConfigureAwait(false))
        {
            return Refusal.NotFound();
        }
        await db.RecordReadAsync("read-signature", "VisitRecord", record.Id.ToString(), "guardian signature shown", ct).ConfigureAwait(false);
        return svg;
    }

    /// <summary>A teacher sees the records of the sessions whose team they are in, or at which they were present; other roles are scoped by <see cref="Visible"/>.</summary>
    private async Task<bool> TeacherSeesAsync(VisitRecord record, CancellationToken ct)
    {
        if (!me.IsTeacher)
        {
            return true;
        }
        var myself = me.StaffId?.Value ?? Guid.Empty;
        return record.StaffPresent.Contains(myself)
            || await db.SessionStaff.Where(t => t.StaffId == myself).Join(db.Sessions, t => t.SessionId, x => x.Id, (_, x) => x.SessionKey)
                .AnyAsync(k => k == record.SessionKey, ct).ConfigureAwait(false);
    }

    /// <summary>Records as shown, each with its flags computed against the records around it.</summary>
    private async Task<List<VisitDto>> ToDtoAsync(List<VisitRecord> visits, CancellationToken ct)
    {
        if (visits.Count == 0)
        {
            return [];
        }
        var county = visits[0].CountyCode;
        var dates = visits.Select(v => v.Date).Distinct().ToList();
        var sameDays = await db.Visits.AsNoTracking().Where(v => v.CountyCode == county && dates.Contains(v.Date)).ToListAsync(ct).ConfigureAwait(false);
        // Only each session's newest version counts as what happened; and only a record that shares a staff member
        // with one shown can flag it (the travel check pairs a staff member's records), so the others' children and
        // plans are not read — a county day holds a hundred records, one record saved shares a team with a few.
        var shownStaff = visits.SelectMany(v => v.StaffPresent).ToHashSet();
        sameDays = [.. sameDays.GroupBy(v => v.SessionKey).Select(g => g.OrderByDescending(v => v.Version).First())
            .Where(v => v.StaffPresent.Any(shownStaff.Contains))];
        var studentIds = visits.Concat(sameDays).Select(v => v.StudentId).Distinct().ToList();
        var shownIds = visits.Select(v => v.StudentId).Distinct().ToList();
        var students = await db.Students.AsNoTracking().Where(s => studentIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct).ConfigureAwait(false);
        // The flags ask of the shown records' staff only: their leave, and where an online visit was given from.
        var staffIds = shownStaff.Select(id => new StaffId(id)).ToList();
        var staff = await db.Staff.AsNoTracking().Where(s => s.CountyCode == county && staffIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id.Value, ct).ConfigureAwait(false);
        var leave = await db.Leave.AsNoTracking().Where(l => l.CountyCode == county && staffIds.Contains(l.StaffId)).ToListAsync(ct).ConfigureAwait(false);
        var policy = await db.Policies.FindAsync([county], ct).ConfigureAwait(false) ?? CountyPolicy.LincangDefault(county);
        // The planned length is asked of the shown records only.
        var plans = await db.Plans.AsNoTracking().Include(p => p.Versions).Where(p => shownIds.Contains(p.StudentId)).ToListAsync(ct).ConfigureAwait(false);
        int Planned(StudentId id) => (plans.Where(p => p.StudentId == id).SelectMany(p => p.Versions)
            .Where(v => v.Status is PlanStatus.Approved or PlanStatus.Active).OrderByDescending(v => v.Number).FirstOrDefault()?.LessonsPerVisit ?? 0) * policy.LessonMinutes;
        var context = new VisitFlags.Context(students, staff, leave, Planned, sameDays, policy.TravelToleranceMinutes);
        return [.. visits.Select(v => (Record: v, Findings: FlagsOf(v, context))).Select(x => new VisitDto(x.Record.Id, x.Record.SessionKey, x.Record.StudentId.Value,
            x.Record.Version, x.Record.PreviousId, x.Record.CorrectionReason, x.Record.Date, Zh.Time(x.Record.Start), Zh.Time(x.Record.End), x.Record.StaffPresent,
            x.Record.Mode, x.Record.Place, x.Record.Content, x.Record.GoalsAddressed, x.Record.ChildResponse, x.Record.GuardianFeedback, x.Record.GuardianName,
            x.Record.HomeTask, x.Record.Missed, x.Record.MissedReason, x.Record.MakeUpDate, x.Record.RescheduleReason, x.Record.RecordedBy, x.Record.RecordedAt,
            [.. x.Findings.Select(f => f.Code)],
            x.Findings.Where(f => f.Detail is not null).GroupBy(f => f.Code, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Detail!, StringComparer.Ordinal),
            x.Record.Confirmation, x.Record.ConfirmedAt, x.Record.SignatureSvg is not null, x.Record.CheckInAt, VisitFlags.CheckInDistance(x.Record, students),
            [.. x.Record.PhotoIds]))];
    }

    /// <summary>A record's flags; one whose stored values defeat the computation is shown marked as damaged, and logged by id only.</summary>
    private IReadOnlyList<VisitFlags.Finding> FlagsOf(VisitRecord record, VisitFlags.Context context)
    {
        try
        {
            return VisitFlags.Findings(record, context);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or OverflowException or FormatException or KeyNotFoundException)
        {
            Unshowable(log, record.Id, e.GetType().Name);
            return [new VisitFlags.Finding(VisitFlags.Damaged)];
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "visit record {RecordId} could not be checked ({ErrorType}): shown as damaged")]
    private static partial void Unshowable(ILogger logger, Guid recordId, string errorType);
}
