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

public sealed record TimetableDto(Guid Id, Guid TermId, Guid RunId, TimetableStatus Status, DateTimeOffset CreatedAt, string? PublishedBy, DateTimeOffset? PublishedAt,
    int TravelMinutes, int SessionCount, IReadOnlyList<UnassignedDto> Unassigned)
{
    public static TimetableDto From(Timetable t, int sessions) => new(t.Id, t.TermId.Value, t.RunId, t.Status, t.CreatedAt, t.PublishedBy, t.PublishedAt, t.TravelMinutes, sessions,
        [.. t.Unassigned.Select(u => new UnassignedDto(u.StudentId.Value, u.Mode, u.ReasonCode, u.ReasonMessage, u.AcknowledgedBy, u.AcknowledgementNote))]);
}

public sealed record SessionDto(Guid Id, string SessionKey, Guid StudentId, string Mode, string Week, DateOnly Date, TimeOnly Start, TimeOnly End,
    IReadOnlyList<Guid> StaffIds, SessionStatus Status, string? MovedBecause)
{
    public static SessionDto From(TimetableSession s) => new(s.Id, s.SessionKey, s.StudentId.Value, s.Mode, s.Week, s.Date, s.Start, s.End, s.StaffIds, s.Status, s.MovedBecause);
}

public sealed record AcknowledgeRequest(string? Note);
