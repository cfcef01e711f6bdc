namespace ControlDropout.Web.Domain;

/// <summary>个性化送教方案 of one child for one term; its content lives in numbered versions.</summary>
public sealed class Plan
{
    public required PlanId Id { get; init; }
    public required StudentId StudentId { get; init; }
    public required TermId TermId { get; init; }
    public required string CountyCode { get; init; }
    public required SchoolId SchoolId { get; init; }
    /// <summary>
    /// The first day the plan is in force: the first teaching day on or after its first approval (or the
    /// later start its approved version asks for). Fixed once, at that approval; null for a plan never approved.
    /// </summary>
    public DateOnly? EffectiveFrom { get; set; }
    /// <summary>The last day the plan is in force when it was closed before the term's end; null runs to the term's end.</summary>
    public DateOnly? EffectiveUntil { get; set; }
    /// <summary>Why the plan was closed (送教方案关闭原因): the child's path (随班就读, transfer, …) or the approver's words.</summary>
    public string? ClosedReason { get; set; }
    public List<PlanVersion> Versions { get; set; } = [];
}

/// <summary>方案状态: Draft → Submitted → Approved | Rejected; Approved → Active → Closed.</summary>
public enum PlanStatus
{
    Draft,
    Submitted,
    Approved,
    Rejected,
    Active,
    Closed,
}

public enum TeachingMode
{
    /// <summary>送教上门</summary>
    Home,
    /// <summary>远程送教</summary>
    Remote,
    /// <summary>送教上门与远程送教结合</summary>
    Mixed,
}

/// <summary>
/// One version of a plan. A version is edited only while it is a draft; once submitted its content
/// is frozen, and once approved it is immutable: a change is a new version that needs approval again.
/// </summary>
public sealed class PlanVersion
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required PlanId PlanId { get; init; }
    public required int Number { get; init; }
    public PlanStatus Status { get; set; } = PlanStatus.Draft;
    /// <summary>Bumped on every write; the plan's ETag, so concurrent decisions cannot both win.</summary>
    public int Revision { get; set; } = 1;

    /// <summary>课程计划</summary>
    public string CoursePlan { get; set; } = "";
    /// <summary>授课内容</summary>
    public string Content { get; set; } = "";
    /// <summary>IEP goals</summary>
    public List<string> Goals { get; set; } = [];
    public TeachingMode Mode { get; set; } = TeachingMode.Home;
    public int HomeVisitsPerWeek { get; set; } = 1;
    public int RemoteSessionsPerWeek { get; set; }
    /// <summary>课时 per visit.</summary>
    public int LessonsPerVisit { get; set; } = 2;
    public List<WeeklyWindow> Windows { get; set; } = [];
    public List<string> RequiredSkills { get; set; } = [];
    public int TeamSize { get; set; } = 1;
    public List<Guid> PreferredStaffIds { get; set; } = [];
    /// <summary>A later first day than the approval asked for by the plan (开始日期), or null for "from approval".</summary>
    public DateOnly? StartDate { get; set; }
    /// <summary>The online meeting link of its remote sessions (远程送教会议链接), https only; a session may carry its own.</summary>
    public string? MeetingLink { get; set; }

    public required string CreatedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string? SubmittedBy { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    /// <summary>审批意见</summary>
    public string? Opinion { get; set; }
    /// <summary>An approver's recorded reason to admit a child whose 残疾等级 is above the policy's limit.</summary>
    public string? GradeException { get; set; }
    /// <summary>审批文号 of an approved version: the number the approver entered, or the county's next in sequence.</summary>
    public string? ApprovalNo { get; set; }
}
