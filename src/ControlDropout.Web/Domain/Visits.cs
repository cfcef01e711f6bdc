namespace ControlDropout.Web.Domain;

/// <summary>Where a visit took place.</summary>
public enum VisitPlace
{
    /// <summary>在家</summary>
    Home,
    /// <summary>村委会</summary>
    VillageCommittee,
    /// <summary>线上</summary>
    Online,
}

/// <summary>
/// 送教记录 of one session, as the teacher recorded it. The server clock stamps <see cref="RecordedAt"/>.
/// A correction after 24 hours is a new version with a reason; the earlier version stays.
/// </summary>
public sealed class VisitRecord
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string CountyCode { get; init; }
    /// <summary>The session's stable key (it survives re-plans and new timetable versions).</summary>
    public required string SessionKey { get; init; }
    public required StudentId StudentId { get; init; }
    public required int Version { get; init; }
    public Guid? PreviousId { get; init; }
    public string? CorrectionReason { get; init; }
    public required DateOnly Date { get; set; }
    public required TimeOnly Start { get; set; }
    public required TimeOnly End { get; set; }
    public List<Guid> StaffPresent { get; set; } = [];
    public required string Mode { get; set; }
    public VisitPlace Place { get; set; }
    /// <summary>授课内容</summary>
    public string Content { get; set; } = "";
    public List<string> GoalsAddressed { get; set; } = [];
    public string ChildResponse { get; set; } = "";
    public string GuardianFeedback { get; set; } = "";
    /// <summary>The guardian's name as their signature.</summary>
    public string GuardianName { get; set; } = "";
    public string HomeTask { get; set; } = "";
    public bool Missed { get; set; }
    /// <summary>Why the visit did not happen (<see cref="Missed"/>).</summary>
    public string? MissedReason { get; set; }

    /// <summary>The declared reason for a visit made on another day than its session's (改期), or null.</summary>
    public string? RescheduleReason { get; set; }
    public DateOnly? MakeUpDate { get; set; }
    public required string RecordedBy { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }
}
