using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Plans;

namespace ControlDropout.Web.Features.People;

public sealed record TownshipDto(string Code, string Name, double? Lat, double? Lon);

public sealed record SchoolDto(Guid Id, string Name, SchoolKind Kind, string TownshipCode);

public sealed record StaffDto(Guid Id, string Name, Department Department, Guid? SchoolId, IReadOnlyList<string> Skills, string BaseName, double BaseLat, double BaseLon,
    IReadOnlyList<WindowDto> Availability, int MaxSessionsPerWeek, int? MaxAwayMinutesPerDay, bool CanTeachRemotely, string Phone, int? MaxTravelMinutesPerDay = null);

/// <summary>
/// A staff member as entered; <paramref name="Phone"/> (11 digits) is how a roster import finds them again.
/// <paramref name="MaxTravelMinutesPerDay"/> (每日驾车上限) caps each day's driving when the county shares driving out fairly; null = no cap.
/// </summary>
public sealed record StaffRequest(string Name, Department Department, Guid? SchoolId, IReadOnlyList<string>? Skills, string BaseName, double BaseLat, double BaseLon,
    IReadOnlyList<WindowDto>? Availability, int MaxSessionsPerWeek, int? MaxAwayMinutesPerDay, bool CanTeachRemotely, string? Phone = null, int? MaxTravelMinutesPerDay = null);

public sealed record GuardianDto(string Name, string Relation, string Phone);

/// <summary>An expert committee assessment as shown: 文号, members, conclusion, note, whether a report file is kept.</summary>
public sealed record AssessmentDto(Guid Id, DateOnly Date, AssessmentConclusion Conclusion, string DocumentNo, IReadOnlyList<string> Members, string Note, bool HasReport);

/// <summary>A child as lists and pages show it: 身份证号, certificate, registration number and phones masked.</summary>
public sealed record StudentDto(Guid Id, string Name, string Gender, string Ethnicity, DateOnly BirthDate, DisabilityCategory DisabilityCategory, int DisabilityGrade,
    string DisabilityCertificateNo, string NationalStudentNo, Guid SchoolOfRecordId, string VillageCode, IReadOnlyList<GuardianDto> Guardians,
    StudentStatus Status, IReadOnlyList<AssessmentDto> Assessments, string IdCardNo, DateOnly? DisabilityRegisteredOn, DateOnly? LeftOn);

/// <summary>
/// A child as entered (a new child, or the whole of an existing one on edit). At least one of 身份证号 and
/// 全国学籍号 is required: they are how a roster import finds the child again. The 残联 registration is the
/// certificate number, category, grade and <paramref name="DisabilityRegisteredOn"/> together.
/// </summary>
public sealed record StudentRequest(string Name, string Gender, string? Ethnicity, DateOnly BirthDate, DisabilityCategory DisabilityCategory, int DisabilityGrade,
    string? DisabilityCertificateNo, string? NationalStudentNo, Guid SchoolOfRecordId, string VillageCode, double HomeLat, double HomeLon, IReadOnlyList<GuardianDto>? Guardians,
    string? IdCardNo = null, DateOnly? DisabilityRegisteredOn = null);

/// <summary>残联登记 of a child on its own: 残疾人证号, 残疾类别, 残疾等级 and the day the certificate was issued.</summary>
public sealed record RegistrationRequest(string CertificateNo, DisabilityCategory Category, int Grade, DateOnly RegisteredOn);

/// <summary>
/// An expert committee assessment: date, 文号, members, conclusion, note. When it concludes 随班就读 or 特教学校
/// the child leaves 送教 after <paramref name="LastDayOfTeaching"/> (today when not given).
/// </summary>
public sealed record AssessmentRequest(DateOnly Date, AssessmentConclusion Conclusion, string? DocumentNo = null, IReadOnlyList<string>? Members = null, string? Note = null,
    DateOnly? LastDayOfTeaching = null);
