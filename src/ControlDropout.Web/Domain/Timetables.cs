namespace ControlDropout.Web.Domain;

public enum RunStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>A background solve of every approved plan of a county's term.</summary>
public sealed class TimetableRun
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string CountyCode { get; init; }
    public required TermId TermId { get; init; }
    public RunStatus Status { get; set; } = RunStatus.Queued;
    public double Progress { get; set; }
    public bool CancelRequested { get; set; }
    public required string StartedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Error { get; set; }
    public Guid? TimetableId { get; set; }
    public int RequiredSessions { get; set; }
    public int PlacedSessions { get; set; }
    public int UnassignedSessions { get; set; }
    public int TravelMinutes { get; set; }
    /// <summary>The service instance solving the run (its <see cref="Features.Timetables.RunWorker.InstanceId"/>); null while queued.</summary>
    public string? ClaimedBy { get; set; }
    /// <summary>
    /// When the solving instance last showed it is alive (it writes this with its progress). A running run whose
    /// heartbeat is older than the lease belongs to an instance that died: another one takes it over.
    /// </summary>
    public DateTimeOffset? HeartbeatAt { get; set; }
    /// <summary>How often another instance took the run over from a dead one; once is allowed, a second death fails the run.</summary>
    public int TakeOvers { get; set; }
}

public enum TimetableStatus
{
    Draft,
    Published,
    Superseded,
}

/// <summary>课表: the weekly template the solver produced and its dated sessions for every teaching week.</summary>
public sealed class Timetable
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string CountyCode { get; init; }
    public required TermId TermId { get; init; }
    public required Guid RunId { get; init; }
    public TimetableStatus Status { get; set; } = TimetableStatus.Draft;
    public required DateTimeOffset CreatedAt { get; init; }
    public string? PublishedBy { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    /// <summary>The core's timetable (scenario-v1 JSON) for the template week, kept as solved.</summary>
    public required string TemplateJson { get; init; }
    /// <summary>The scenario the template was solved from, so that a disruption re-plans from the same facts.</summary>
    public required string ScenarioJson { get; init; }
    /// <summary>The published version this one replaced after a disruption, and why.</summary>
    public Guid? PreviousId { get; init; }
    public string? ChangeReason { get; init; }
    /// <summary>
    /// The first day this version governs once published (生效日期). Sessions before it are the earlier
    /// versions' sessions, copied unchanged: publishing only ever replaces the future.
    /// </summary>
    public DateOnly? EffectiveFrom { get; set; }
    public int TravelMinutes { get; init; }
    public List<UnassignedChild> Unassigned { get; set; } = [];
    public List<TimetableSession> Sessions { get; set; } = [];
}

/// <summary>A child the timetable cannot cover, with the core's reason; publishing needs each acknowledged.</summary>
public sealed class UnassignedChild
{
    public required StudentId StudentId { get; init; }
    public required string Mode { get; init; }
    public required string ReasonCode { get; init; }
    public required string ReasonMessage { get; init; }
    public string? AcknowledgedBy { get; set; }
    public DateTimeOffset? AcknowledgedAt { get; set; }
    public string? AcknowledgementNote { get; set; }
}

public enum SessionStatus
{
    Scheduled,
    Delivered,
    Missed,
    Cancelled,
}

/// <summary>送教课次 on a date.</summary>
public sealed class TimetableSession
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid TimetableId { get; init; }
    /// <summary>The published version that created this session as it is; a copy carried into a later version keeps it.</summary>
    public Guid OriginTimetableId { get; set; }
    /// <summary>Stable identity across versions and moves: child, mode, ordinal and ISO week.</summary>
    public required string SessionKey { get; init; }
    public required StudentId StudentId { get; init; }
    public required string Mode { get; init; }
    public required string Week { get; init; }
    public required DateOnly Date { get; set; }
    public required TimeOnly Start { get; set; }
    public required TimeOnly End { get; set; }
    public List<Guid> StaffIds { get; set; } = [];
    public SessionStatus Status { get; set; } = SessionStatus.Scheduled;
    /// <summary>Why it is not on its template day (a holiday or closure moved it), if so.</summary>
    public string? MovedBecause { get; set; }
    /// <summary>This session's own meeting link, when it differs from its plan's (<see cref="PlanVersion.MeetingLink"/>).</summary>
    public string? MeetingLink { get; set; }
    /// <summary>Rises with every change to the session (iCalendar SEQUENCE).</summary>
    public int Sequence { get; set; }
    /// <summary>When the session last changed (iCalendar DTSTAMP), so that an unchanged feed is byte-identical.</summary>
    public DateTimeOffset ChangedAt { get; set; }
    /// <summary>The team as rows, indexed by staff member, so that one teacher's sessions are found without a scan; kept in step with <see cref="StaffIds"/> on save.</summary>
    public List<SessionStaff> Team { get; set; } = [];
}

/// <summary>One team member of one session.</summary>
public sealed class SessionStaff
{
    public Guid SessionId { get; init; }
    public Guid StaffId { get; init; }
}

/// <summary>A server secret, created once: the key feed tokens are derived from.</summary>
public sealed class ServerSecret
{
    public required string Name { get; init; }
    public required string Value { get; init; }
}

/// <summary>请假: a staff member away for a span of days.</summary>
public sealed class StaffLeave
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string CountyCode { get; init; }
    public required StaffId StaffId { get; init; }
    public required DateOnly FirstDay { get; init; }
    public required DateOnly LastDay { get; init; }
    public required string Reason { get; init; }
    public required string CreatedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
