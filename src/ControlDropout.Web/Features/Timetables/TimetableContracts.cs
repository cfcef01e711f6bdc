using ControlDropout.Web.Domain;

namespace ControlDropout.Web.Features.Timetables;

public sealed record StartRunRequest(Guid TermId);

public sealed record RunDto(Guid Id, Guid TermId, RunStatus Status, double Progress, string StartedBy, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt,
    string? Error, Guid? TimetableId, int RequiredSessions, int PlacedSessions, int UnassignedSessions, int TravelMinutes)
{
    public static RunDto From(TimetableRun r) => new(r.Id, r.TermId.Value, r.Status, r.Progress, r.StartedBy, r.CreatedAt, r.FinishedAt, r.Error, r.TimetableId,
        r.RequiredSessions, r.PlacedSessions, r.UnassignedSessions, r.TravelMinutes);
}

public sealed record UnassignedDto(Guid StudentId, string Mode, string ReasonCode, string ReasonMessage, string? AcknowledgedBy, string? AcknowledgementNote);

/// <param name="BaselineChanges">
/// How many of the template week's sessions the solver moved (day, start or team) against the version in force when
/// the run began; null when no version was in force. Who moved is in the draft's report on the timetable page.
/// </param>
public sealed record TimetableDto(Guid Id, Guid TermId, Guid RunId, TimetableStatus Status, DateTimeOffset CreatedAt, string? PublishedBy, DateTimeOffset? PublishedAt,
    int TravelMinutes, int SessionCount, IReadOnlyList<UnassignedDto> Unassigned, DateOnly? EffectiveFrom, Guid? PreviousId, string? ChangeReason, int? BaselineChanges = null)
{
    public static TimetableDto From(Timetable t, int sessions) => new(t.Id, t.TermId.Value, t.RunId, t.Status, t.CreatedAt, t.PublishedBy, t.PublishedAt, t.TravelMinutes, sessions,
        [.. t.Unassigned.Select(u => new UnassignedDto(u.StudentId.Value, u.Mode, u.ReasonCode, u.ReasonMessage, u.AcknowledgedBy, u.AcknowledgementNote))],
        t.EffectiveFrom, t.PreviousId, t.ChangeReason, DraftReport.BaselineChangesOf(t.TemplateJson));
}

public sealed record SessionDto(Guid Id, string SessionKey, Guid StudentId, string Mode, string Week, DateOnly Date, TimeOnly Start, TimeOnly End,
    IReadOnlyList<Guid> StaffIds, SessionStatus Status, string? MovedBecause, Guid CreatedByVersion)
{
    /// <summary>The session with its status as <see cref="RecordFacts.StatusOf"/> derives it at <paramref name="now"/>.</summary>
    public static SessionDto From(TimetableSession s, DateTimeOffset now, int graceHours) =>
        new(s.Id, s.SessionKey, s.StudentId.Value, s.Mode, s.Week, s.Date, s.Start, s.End, s.StaffIds, RecordFacts.StatusOf(s, now, graceHours), s.MovedBecause, s.OriginTimetableId);
}

public sealed record AcknowledgeRequest(string? Note);

/// <summary>发布课表: the first day the new version governs (null: the next teaching day).</summary>
public sealed record PublishRequest(DateOnly? EffectiveFrom);
