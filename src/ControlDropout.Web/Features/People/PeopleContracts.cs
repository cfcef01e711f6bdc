using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Plans;

namespace ControlDropout.Web.Features.People;

public sealed record TownshipDto(string Code, string Name, double? Lat, double? Lon);

public sealed record SchoolDto(Guid Id, string Name, SchoolKind Kind, string TownshipCode);

public sealed record StaffDto(Guid Id, string Name, Department Department, Guid? SchoolId, IReadOnlyList<string> Skills, string BaseName, double BaseLat, double BaseLon,
    IReadOnlyList<WindowDto> Availability, int MaxSessionsPerWeek, int? MaxAwayMinutesPerDay, bool CanTeachRemotely);

public sealed record StaffRequest(string Name, Department Department, Guid? SchoolId, IReadOnlyList<string>? Skills, string BaseName, double BaseLat, double BaseLon,
    IReadOnlyList<WindowDto>? Availability, int MaxSessionsPerWeek, int? MaxAwayMinutesPerDay, bool CanTeachRemotely);

public sealed record GuardianDto(string Name, string Relation, string Phone);

public sealed record AssessmentDto(DateOnly Date, AssessmentConclusion Conclusion);

/// <summary>A child as lists and pages show it: certificate, registration number and phones masked.</summary>
public sealed record StudentDto(Guid Id, string Name, string Gender, string Ethnicity, DateOnly BirthDate, DisabilityCategory DisabilityCategory, int DisabilityGrade,
    string DisabilityCertificateNo, string NationalStudentNo, Guid SchoolOfRecordId, string VillageCode, IReadOnlyList<GuardianDto> Guardians,
    StudentStatus Status, IReadOnlyList<AssessmentDto> Assessments);

public sealed record StudentRequest(string Name, string Gender, string? Ethnicity, DateOnly BirthDate, DisabilityCategory DisabilityCategory, int DisabilityGrade,
    string? DisabilityCertificateNo, string? NationalStudentNo, Guid SchoolOfRecordId, string VillageCode, double HomeLat, double HomeLon, IReadOnlyList<GuardianDto>? Guardians);

public sealed record AssessmentRequest(DateOnly Date, AssessmentConclusion Conclusion);
