using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace ControlDropout.Web.Features.Audit;

/// <summary>
/// Turns what a save changes into audit rows. Values are recorded only for fields that carry no
/// personal data; for the others the row says the field changed and nothing more.
/// </summary>
public static class AuditTrail
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Fields whose values may be written into the trail (everything else is named, never shown).</summary>
    private static readonly HashSet<string> PlainFields = new(StringComparer.Ordinal)
    {
        "Status", "Number", "Revision", "Mode", "HomeVisitsPerWeek", "RemoteSessionsPerWeek", "LessonsPerVisit", "TeamSize",
        "FirstDay", "LastDay", "Date", "Start", "End", "Week", "Sequence", "DisabilityGrade", "Kind", "Department",
        "MaxSessionsPerWeek", "MaxAwayMinutesPerDay", "CanTeachRemotely", "MinSessionsPerTeachingWeek", "LessonMinutes",
        "MinAge", "MaxAge", "MaxDisabilityGrade", "RemoteCountsTowardHomeMinimum", "Progress", "CancelRequested", "FeedVersion",
    };

    /// <summary>
    /// Rows that are derived data or secrets, not changes a person made. Dated sessions are recorded
    /// through their timetable version (a run or a re-plan adds one row for the whole version).
    /// </summary>
    private static readonly HashSet<Type> Skipped = [typeof(AuditEntry), typeof(SessionStaff), typeof(ServerSecret), typeof(TimetableSession)];

    public static IReadOnlyList<(string Action, string Type, string Id, string County, string Summary)> Describe(ChangeTracker tracker)
    {
        var result = new List<(string, string, string, string, string)>();
        foreach (var entry in tracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted) || Skipped.Contains(entry.Entity.GetType())
                || entry.Metadata.IsOwned() || entry.Entity.GetType().Namespace?.StartsWith("Microsoft.AspNetCore.Identity", StringComparison.Ordinal) == true && entry.Entity is not AppUser)
            {
                continue;
            }
            var key = string.Join("/", entry.Metadata.FindPrimaryKey()!.Properties.Select(p => Convert.ToString(entry.Property(p.Name).CurrentValue, CultureInfo.InvariantCulture)));
            var county = entry.Metadata.FindProperty("CountyCode") is not null ? Convert.ToString(entry.Property("CountyCode").CurrentValue, CultureInfo.InvariantCulture) ?? "" : "";
            var changed = entry.State == EntityState.Modified
                ? entry.Properties.Where(p => p.IsModified).Select(p => Field(p.Metadata.Name, p.OriginalValue, p.CurrentValue))
                : entry.Properties.Where(p => PlainFields.Contains(p.Metadata.Name)).Select(p => Field(p.Metadata.Name, null, p.CurrentValue));
            result.Add((entry.State.ToString().ToLowerInvariant(), entry.Metadata.ClrType.Name, key, county, string.Join("; ", changed)));
        }
        return result;
    }

    private static string Field(string name, object? before, object? after) =>
        PlainFields.Contains(name)
            ? $"{name}: {Format(before)} → {Format(after)}"
            : $"{name}: changed";

    private static string Format(object? value) => value switch
    {
        null => "∅",
        DateTimeOffset d => d.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>The chained hash of one row: SHA-256 of the previous hash and every field, in a fixed order.</summary>
    public static string HashOf(string previous, DateTimeOffset at, string actor, string role, string county, string action, string type, string id, string summary, string requestId)
    {
        var canonical = string.Join('\u001f', previous, at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), actor, role, county, action, type, id, summary, requestId);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    public static string HashOf(AuditEntry e) => HashOf(e.PreviousHash, e.At, e.Actor, e.Role, e.CountyCode, e.Action, e.ObjectType, e.ObjectId, e.Summary, e.RequestId);
}

/// <summary>Who is acting, for the audit trail: the signed-in caller, or the service itself (background runs).</summary>
public sealed class AuditActor(IHttpContextAccessor http)
{
    public (string Actor, string Role, string County, string RequestId) Current()
    {
        var context = http.HttpContext;
        if (context?.User.Identity?.IsAuthenticated != true)
        {
            return ("system", "system", "", context?.TraceIdentifier ?? "");
        }
        var caller = Caller.From(context.User);
        return (caller.UserName, caller.Role, caller.CountyCode, context.TraceIdentifier);
    }
}
