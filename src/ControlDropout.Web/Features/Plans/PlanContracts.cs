using ControlDropout.Web.Domain;

namespace ControlDropout.Web.Features.Plans;

/// <summary>A weekly window in requests and responses: day 1 (Monday) … 7 (Sunday), times as HH:mm.</summary>
public sealed record WindowDto(int Day, string From, string To)
{
    /// <summary>A clock time as forms and the API write it (<c>HH:mm</c>, exactly five characters).</summary>
    public static bool TryTime(string? text, out TimeOnly time)
    {
        time = default;
        return text is { Length: 5 } && TimeOnly.TryParseExact(text, "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out time);
    }

    /// <summary>A window that passed its validator, as the domain keeps it (plans and staff availability alike).</summary>
    public WeeklyWindow ToDomain() => new()
    {
        Day = Day,
        From = TimeOnly.ParseExact(From, "HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        To = TimeOnly.ParseExact(To, "HH:mm", System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// What a coordinator writes into a plan version. <see cref="StartDate"/> (开始日期, optional) asks for a
/// later first day than the approval's; it must fall within the plan's term.
/// </summary>
public sealed record PlanContent(
    string CoursePlan,
    string Content,
    IReadOnlyList<string>? Goals,
    TeachingMode Mode,
    int HomeVisitsPerWeek,
    int RemoteSessionsPerWeek,
    int LessonsPerVisit,
    IReadOnlyList<WindowDto>? Windows,
    IReadOnlyList<string>? RequiredSkills,
    int TeamSize,
    IReadOnlyList<Guid>? PreferredStaffIds,
    DateOnly? StartDate = null,
    string? MeetingLink = null);

public sealed record CreatePlanRequest(Guid StudentId, Guid TermId, PlanContent Plan);

/// <param name="ApprovalNo">审批文号 on an approval; empty takes the county's next number in sequence.</param>
public sealed record DecisionRequest(string? Opinion, string? ApprovalNo = null);

public sealed record GradeExceptionRequest(string? Reason);

/// <summary>An approver's closing of a plan, with an optional reason for the ledger's 备注 (default 审批人关闭).</summary>
public sealed record CloseRequest(string? Reason);

public sealed record PlanVersionDto(
    int Number,
    PlanStatus Status,
    PlanContent Plan,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    string? SubmittedBy,
    DateTimeOffset? SubmittedAt,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? Opinion,
    string? GradeException,
    string? ApprovalNo = null);

/// <summary>
/// A plan. <see cref="EffectiveFrom"/> is fixed at its first approval (null before it, and for a plan in force
/// from before effective dates, which runs from the term's first day); <see cref="EffectiveUntil"/> is its close
/// day (null: the term's end).
/// </summary>
public sealed record PlanDto(Guid Id, Guid StudentId, Guid TermId, Guid SchoolId, PlanStatus Status, int CurrentVersion, string ETag, IReadOnlyList<PlanVersionDto> Versions,
    DateOnly? EffectiveFrom = null, DateOnly? EffectiveUntil = null);

public sealed record PlanSummaryDto(Guid Id, Guid StudentId, Guid TermId, PlanStatus Status, int CurrentVersion);
