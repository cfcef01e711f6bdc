using System.Security.Claims;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;

namespace ControlDropout.Web.Infrastructure;

/// <summary>
/// What a role may do at all. Whether it may do it to <em>this</em> record (its county, its school,
/// its own sessions) is the use case's second question, answered with the record in hand.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "The house style's word for what a role may do (STYLE.md, One door).")]
public enum Permission
{
    /// <summary>Write and submit plans (个性化送教方案) for children of one's school.</summary>
    EditPlans,
    /// <summary>Approve, reject, record a grade exception, activate and close plans (县教体局 审批).</summary>
    DecidePlans,
    /// <summary>Terms, the county policy, timetable runs, acknowledging and publishing timetables.</summary>
    ManageCounty,
    /// <summary>Township closures: they change the calendar of every school in the township.</summary>
    RecordClosures,
    /// <summary>Leave of a staff member (a coordinator only for staff of their school).</summary>
    RecordLeave,
    /// <summary>Register children and staff, keep their records and their path (a coordinator only for their school; the bureau for the county).</summary>
    Enrol,
    /// <summary>Record an expert committee's assessment.</summary>
    RecordAssessments,
    /// <summary>Record a visit (a teacher only for their own sessions, a coordinator for their school's children).</summary>
    RecordVisits,
    /// <summary>The county's staff list (teachers see only themselves and their team mates' names).</summary>
    ListStaff,
    /// <summary>The ledger (台账) and teaching files (送教档案).</summary>
    ExportRecords,
    /// <summary>Certificate numbers, registration numbers and phones in full; every such read is audited.</summary>
    Unmask,
    /// <summary>The audit trail and its chain check.</summary>
    ReadAudit,
    /// <summary>Reset anybody's calendar feed link (everyone may reset their own).</summary>
    ResetAnyFeed,
    /// <summary>Weekly coverage and flagged records of the county or school.</summary>
    ReadCoverage,
    /// <summary>Manage the county's user accounts: create them (any role but admin) and end every session of a user ("sign out everywhere").</summary>
    ManageUsers,
    /// <summary>Read and acknowledge the notices of children transferred in from another county (the bureau).</summary>
    ReceiveTransfers,
}

/// <summary>The one table of who may do what; route policies and pages read it too, so it is written once.</summary>
public static class Permissions
{
    private static readonly Dictionary<string, HashSet<Permission>> ByRole = new(StringComparer.Ordinal)
    {
        [Roles.Admin] =
        [
            Permission.EditPlans, Permission.ManageCounty, Permission.RecordClosures, Permission.RecordLeave, Permission.Enrol,
            Permission.RecordAssessments, Permission.ListStaff, Permission.ExportRecords, Permission.Unmask, Permission.ReadAudit,
            Permission.ResetAnyFeed, Permission.ReadCoverage,
            Permission.ManageUsers,
            Permission.ReceiveTransfers,
        ],
        // A bureau approver decides on plans; admins run the service but do not decide on children.
        [Roles.Approver] =
        [
            Permission.DecidePlans, Permission.ManageCounty, Permission.RecordClosures, Permission.RecordLeave, Permission.Enrol, Permission.RecordAssessments,
            Permission.ListStaff, Permission.ExportRecords, Permission.Unmask, Permission.ReadCoverage,
            Permission.ReceiveTransfers,
        ],
        [Roles.Coordinator] =
        [
            Permission.EditPlans, Permission.RecordLeave, Permission.Enrol, Permission.RecordAssessments, Permission.RecordVisits,
            Permission.ListStaff, Permission.ReadCoverage,
        ],
        [Roles.Teacher] = [Permission.RecordVisits],
        // An inspector (督导) reads everything in the county and writes nothing.
        [Roles.Auditor] = [Permission.ListStaff, Permission.ExportRecords, Permission.ReadAudit, Permission.ReadCoverage],
    };

    public static bool Has(string role, Permission permission) => ByRole.TryGetValue(role, out var set) && set.Contains(permission);

    /// <summary>The roles that hold a permission, for route policies (the second fence).</summary>
    public static string[] RolesWith(Permission permission) => [.. ByRole.Where(r => r.Value.Contains(permission)).Select(r => r.Key)];
}

/// <summary>
/// The signed-in caller of this request, injected once into every use case. Every query is scoped with
/// it on the server; a use case asks <see cref="May"/> before it acts and checks the record's scope itself.
/// </summary>
public sealed class CurrentUser(IHttpContextAccessor http)
{
    public const string CountyClaim = "county";
    public const string SchoolClaim = "school";
    public const string StaffClaim = "staff";

    private ClaimsPrincipal Principal => http.HttpContext?.User ?? new ClaimsPrincipal();

    public bool IsSignedIn => Principal.Identity?.IsAuthenticated == true;
    public string UserId => Principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
    public string UserName => Principal.Identity?.Name ?? "";
    public string Role => Principal.FindFirstValue(ClaimTypes.Role) ?? "";

    /// <summary>Empty for an anonymous caller, which matches no county's rows.</summary>
    public string CountyCode => Principal.FindFirstValue(CountyClaim) ?? "";

    public SchoolId? SchoolId => Guid.TryParse(Principal.FindFirstValue(SchoolClaim), out var school) ? new SchoolId(school) : null;
    public StaffId? StaffId => Guid.TryParse(Principal.FindFirstValue(StaffClaim), out var staff) ? new StaffId(staff) : null;

    public bool IsTeacher => Role == Roles.Teacher;
    public bool IsCoordinator => Role == Roles.Coordinator;

    public bool May(Permission permission) => IsSignedIn && Permissions.Has(Role, permission);

    /// <summary>A coordinator acts for their own school only; every other county role for the whole county.</summary>
    public bool ActsFor(SchoolId school) => !IsCoordinator || SchoolId == school;
}
