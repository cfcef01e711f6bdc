namespace ControlDropout.Web.Domain;

/// <summary>学校: a school of record (学籍学校), a special school (特教学校) or a resource centre (资源中心).</summary>
public sealed class School
{
    public required SchoolId Id { get; init; }
    public required string CountyCode { get; init; }
    public required string TownshipCode { get; set; }
    public required string Name { get; set; }
    public required SchoolKind Kind { get; set; }
    public double Lat { get; set; }
    public double Lon { get; set; }
}

public enum SchoolKind
{
    /// <summary>普通学校 (学籍学校)</summary>
    Regular,
    /// <summary>特殊教育学校</summary>
    Special,
    /// <summary>特殊教育资源中心</summary>
    ResourceCentre,
}

/// <summary>The department a team member comes from.</summary>
public enum Department
{
    /// <summary>教育</summary>
    Education,
    /// <summary>卫健</summary>
    Health,
    /// <summary>残联</summary>
    DisabledPersonsFederation,
    /// <summary>民政</summary>
    CivilAffairs,
}

/// <summary>A window of a week: day (1 = Monday … 7 = Sunday) and wall-clock times.</summary>
public sealed class WeeklyWindow
{
    public required int Day { get; set; }
    public required TimeOnly From { get; set; }
    public required TimeOnly To { get; set; }
}

/// <summary>送教教师 or team member (康复师, 医生, 残联专干).</summary>
public sealed class Staff
{
    public required StaffId Id { get; init; }
    public required string CountyCode { get; init; }
    public SchoolId? SchoolId { get; set; }
    public required Department Department { get; set; }
    public required string Name { get; set; }
    /// <summary>Mobile phone: how a roster import finds the staff member again (masked in lists).</summary>
    public string Phone { get; set; } = "";
    public List<string> Skills { get; set; } = [];
    public required string BaseName { get; set; }
    public double BaseLat { get; set; }
    public double BaseLon { get; set; }
    public List<WeeklyWindow> Availability { get; set; } = [];
    public int MaxSessionsPerWeek { get; set; }
    public int? MaxAwayMinutesPerDay { get; set; }
    /// <summary>A cap on the driving of each of this person's days (the county's fairness rule; the solver's rule 10); null = none.</summary>
    public int? MaxTravelMinutesPerDay { get; set; }
    public bool CanTeachRemotely { get; set; }
    /// <summary>Raised by every reset of the calendar feed, so that the old secret URL dies.</summary>
    public int FeedVersion { get; set; } = 1;
    /// <summary>SHA-256 (hex) of the current feed token; the token itself is never stored.</summary>
    public string? FeedTokenHash { get; set; }
    /// <summary>Opt-in reminder before each session, in minutes (VALARM); null for none.</summary>
    public int? FeedReminderMinutes { get; set; }
}

/// <summary>残疾类别</summary>
public enum DisabilityCategory
{
    /// <summary>视力</summary>
    Visual,
    /// <summary>听力</summary>
    Hearing,
    /// <summary>言语</summary>
    Speech,
    /// <summary>肢体</summary>
    Physical,
    /// <summary>智力</summary>
    Intellectual,
    /// <summary>精神</summary>
    Mental,
    /// <summary>多重</summary>
    Multiple,
}

/// <summary>监护人</summary>
public sealed class Guardian
{
    public required string Name { get; set; }
    public required string Relation { get; set; }
    public required string Phone { get; set; }
}

/// <summary>学生 / 送教对象: a child on the county's roll for home or remote teaching.</summary>
public sealed class Student
{
    public required StudentId Id { get; init; }
    public required string CountyCode { get; init; }
    public required SchoolId SchoolOfRecordId { get; set; }
    public required string Name { get; set; }
    public required string Gender { get; set; }
    public string Ethnicity { get; set; } = "";
    public required DateOnly BirthDate { get; set; }
    public required DisabilityCategory DisabilityCategory { get; set; }
    /// <summary>残疾等级 1–4, 1 the most severe.</summary>
    public required int DisabilityGrade { get; set; }
    /// <summary>残疾人证号 (sensitive: masked unless the role needs it).</summary>
    public string DisabilityCertificateNo { get; set; } = "";
    /// <summary>全国学籍号</summary>
    public string NationalStudentNo { get; set; } = "";
    /// <summary>公民身份号码 (18 characters, check digit verified; sensitive: masked unless the role needs it).</summary>
    public string IdCardNo { get; set; } = "";
    /// <summary>残联登记: the day the 残疾人证 was issued (with the certificate number, category and grade above); null when not registered.</summary>
    public DateOnly? DisabilityRegisteredOn { get; set; }
    public required string VillageCode { get; set; }
    public double HomeLat { get; set; }
    public double HomeLon { get; set; }
    public List<Guardian> Guardians { get; set; } = [];
    public StudentStatus Status { get; set; } = StudentStatus.Enrolled;
    /// <summary>The last day the child was on the 送教 roster, when <see cref="Status"/> is Left (see <see cref="StudentExit"/>).</summary>
    public DateOnly? LeftOn { get; set; }
    public List<Assessment> Assessments { get; set; } = [];
}

public enum StudentStatus
{
    Enrolled,
    Left,
}

/// <summary>Why a child leaves the 送教 roster (离开送教).</summary>
public enum ExitKind
{
    /// <summary>评估为随班就读</summary>
    RegularClass,
    /// <summary>评估为特教学校就读</summary>
    SpecialSchool,
    /// <summary>转出本县</summary>
    Transfer,
    /// <summary>年满 16 周岁，义务教育阶段结束</summary>
    AgedOut,
    /// <summary>死亡</summary>
    Death,
    /// <summary>其他（须写明原因）</summary>
    Other,
}

/// <summary>
/// A child's leaving the 送教 roster: the kind, the last day on it, the reason. The child and their history
/// stay (ledger of past terms, teaching files); their plan in force is closed from the day after, with the reason.
/// </summary>
public sealed class StudentExit
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required StudentId StudentId { get; init; }
    public required string CountyCode { get; init; }
    public required ExitKind Kind { get; init; }
    /// <summary>The last day on the roster and of the plan in force.</summary>
    public required DateOnly LastDay { get; init; }
    public required string Reason { get; init; }
    /// <summary>The county the child moves to, for a transfer (6-digit code).</summary>
    public string? ToCountyCode { get; init; }
    /// <summary>The assessment that concluded 随班就读 or 特教学校, when that is the cause.</summary>
    public Guid? AssessmentId { get; init; }
    public required string RecordedBy { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }
}

/// <summary>
/// A note to the receiving county's admin that a child was transferred to them: enough to find the family
/// and enrol the child again (the identity numbers are not copied across counties).
/// </summary>
public sealed class TransferNotice
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string FromCountyCode { get; init; }
    public required string ToCountyCode { get; init; }
    public required StudentId FromStudentId { get; init; }
    public required string StudentName { get; init; }
    public required string Gender { get; init; }
    public required DateOnly BirthDate { get; init; }
    public required DisabilityCategory DisabilityCategory { get; init; }
    public required int DisabilityGrade { get; init; }
    public required DateOnly LastDay { get; init; }
    public required string Note { get; init; }
    public required DateTimeOffset SentAt { get; init; }
    public string? AcknowledgedBy { get; set; }
    public DateTimeOffset? AcknowledgedAt { get; set; }
}

/// <summary>A file kept with a record (an expert committee's report), by its SHA-256; readable only through the record.</summary>
public sealed class StoredDocument
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string CountyCode { get; init; }
    public required string Sha256 { get; init; }
    public required string FileName { get; init; }
    public required string ContentType { get; init; }
    public required byte[] Content { get; init; }
    public required string UploadedBy { get; init; }
    public required DateTimeOffset UploadedAt { get; init; }
}

/// <summary>专家委员会评估结论</summary>
public enum AssessmentConclusion
{
    /// <summary>送教上门</summary>
    HomeTeaching,
    /// <summary>远程送教</summary>
    RemoteTeaching,
    /// <summary>随班就读</summary>
    RegularClass,
    /// <summary>特教学校</summary>
    SpecialSchool,
    /// <summary>暂缓（延缓入学）</summary>
    Deferred,
}

/// <summary>县级残疾人教育专家委员会评估: the legal gate of 送教上门 (临沧 2020, §三(五)).</summary>
public sealed class Assessment
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required StudentId StudentId { get; init; }
    public required DateOnly Date { get; set; }
    public required AssessmentConclusion Conclusion { get; set; }
    /// <summary>文号 of the committee's conclusion, e.g. 临教专评〔2026〕12号.</summary>
    public string DocumentNo { get; set; } = "";
    /// <summary>The committee members who assessed the child.</summary>
    public List<string> Members { get; set; } = [];
    public string Note { get; set; } = "";
    /// <summary>The committee's report, when one was attached.</summary>
    public Guid? ReportDocumentId { get; set; }
    public string RecordedBy { get; set; } = "";
    public DateTimeOffset? RecordedAt { get; set; }
}
