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

    /// <summary>How the family confirmed the visit on the teacher's phone (家长确认), if it did.</summary>
    public GuardianConfirmation Confirmation { get; set; }
    /// <summary>The guardian's signature drawn on the screen, as an SVG the server composed from the strokes (never the client's markup).</summary>
    public string? SignatureSvg { get; set; }
    /// <summary>When the family confirmed (the phone's clock, as sent; a record queued offline is sent later).</summary>
    public DateTimeOffset? ConfirmedAt { get; set; }
    /// <summary>签到: when the teacher checked in at the start of the session (the phone's clock).</summary>
    public DateTimeOffset? CheckInAt { get; set; }
    /// <summary>The check-in position, rounded to about 100 m (3 decimals); null where the phone gave none.</summary>
    public double? CheckInLat { get; set; }
    public double? CheckInLon { get; set; }
    /// <summary>The phone's stated accuracy of the check-in position, in metres.</summary>
    public int? CheckInAccuracyMeters { get; set; }
    /// <summary>Photos of the visit (<see cref="VisitPhoto"/>), at most three.</summary>
    public List<Guid> PhotoIds { get; set; } = [];

    // What the county required when the visit was first recorded: a record is judged by the rules it was made
    // under, never by a policy changed later (a county that starts asking for photos in November does not turn
    // September's records into no_evidence). A record from before evidence policies required nothing.
    public bool RequiredConfirmation { get; set; }
    public bool RequiredCheckIn { get; set; }
    public int RequiredPhotos { get; set; }
    /// <summary>The far_from_home distance in force when the visit was first recorded; null for a record from before it (the default applies).</summary>
    public int? FarFromHomeMeters { get; set; }

    /// <summary>Fixes the county's evidence rules in force now on a first record.</summary>
    public void RequireAsOf(CountyPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        (RequiredConfirmation, RequiredCheckIn, RequiredPhotos, FarFromHomeMeters) =
            (policy.RequireGuardianConfirmation, policy.RequireCheckIn, policy.RequiredPhotos, policy.FarFromHomeMeters);
    }

    /// <summary>A later version of a record is judged by the rules the visit was first recorded under.</summary>
    public void RequireAsOf(VisitRecord first)
    {
        ArgumentNullException.ThrowIfNull(first);
        (RequiredConfirmation, RequiredCheckIn, RequiredPhotos, FarFromHomeMeters) =
            (first.RequiredConfirmation, first.RequiredCheckIn, first.RequiredPhotos, first.FarFromHomeMeters);
    }

    public required string RecordedBy { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }
}

/// <summary>How a guardian confirmed a visit (家长确认).</summary>
public enum GuardianConfirmation
{
    /// <summary>未确认</summary>
    None,
    /// <summary>手写签名</summary>
    Signature,
    /// <summary>确认码 (the 4-digit code printed on the family's 课表 card)</summary>
    Code,
}

/// <summary>
/// A photo of a visit, re-encoded by the server (metadata stripped, resized) and stored outside the database
/// under its SHA-256 (content-addressed). Uploaded against one session; a record of that session may cite it.
/// </summary>
public sealed class VisitPhoto
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string CountyCode { get; init; }
    public required string SessionKey { get; init; }
    public required StudentId StudentId { get; init; }
    /// <summary>SHA-256 (lower-case hex) of the stored, re-encoded bytes: the file's name in the photo store.</summary>
    public required string Sha256 { get; init; }
    public required string ContentType { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    public required long Length { get; init; }
    /// <summary>The capture time read from the original's metadata (before it was stripped), Beijing time assumed when it carries no offset.</summary>
    public DateTimeOffset? CapturedAt { get; init; }
    public required string UploadedBy { get; init; }
    public required DateTimeOffset UploadedAt { get; init; }
}
