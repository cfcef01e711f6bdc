using ControlDropout.Web.Domain;
using Microsoft.AspNetCore.Identity;

namespace ControlDropout.Web.Data;

/// <summary>A person who signs in. Every user belongs to one county; a coordinator also to a school; a teacher to a staff record.</summary>
public sealed class AppUser : IdentityUser
{
    public required string CountyCode { get; set; }
    public SchoolId? SchoolId { get; set; }
    public StaffId? StaffId { get; set; }
    public string DisplayName { get; set; } = "";
}

/// <summary>The five roles, as stored in Identity.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Approver = "approver";
    public const string Coordinator = "coordinator";
    public const string Teacher = "teacher";
    public const string Auditor = "auditor";

    public static readonly string[] All = [Admin, Approver, Coordinator, Teacher, Auditor];
}
