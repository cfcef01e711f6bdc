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
    public List<string> Skills { get; set; } = [];
    public required string BaseName { get; set; }
    public double BaseLat { get; set; }
    public double BaseLon { get; set; }
    public List<WeeklyWindow> Availability { get; set; } = [];
    public int MaxSessionsPerWeek { get; set; }
    public int? MaxAwayMinutesPerDay { get; set; }
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
    public required string VillageCode { get; set; }
    public double HomeLat { get; set; }
    public double HomeLon { get; set; }
    public List<Guardian> Guardians { get; set; } = [];
    public StudentStatus Status { get; set; } = StudentStatus.Enrolled;
    public List<Assessment> Assessments { get; set; } = [];
}

public enum StudentStatus
{
    Enrolled,
    Left,
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
    /// <summary>延缓入学</summary>
    Deferred,
}

/// <summary>县级残疾人教育专家委员会评估</summary>
public sealed class Assessment
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required StudentId StudentId { get; init; }
    public required DateOnly Date { get; init; }
    public required AssessmentConclusion Conclusion { get; init; }
}
