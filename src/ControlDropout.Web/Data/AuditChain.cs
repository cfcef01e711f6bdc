using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace ControlDropout.Web.Data;

/// <summary>One row the trail is about to get: what was done to which record of which county.</summary>
public readonly record struct AuditChange(string Action, string Type, string Id, string County, string Summary);

/// <summary>
/// The append-only audit trail's writing side: turns what a save changes into rows and chains each row
/// to the one before it with SHA-256, so that a changed or deleted row breaks the chain. Values are
/// recorded only for fields that carry no personal data; for the others a row says the field changed.
/// </summary>
public static class AuditChain
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Fields whose values may be written into the trail (everything else is named, never shown).</summary>
    private static readonly HashSet<string> PlainFields = new(StringComparer.Ordinal)
    {
        "Status", "Number", "Revision", "Mode", "HomeVisitsPerWeek", "RemoteSessionsPerWeek", "LessonsPerVisit", "TeamSize",
        "FirstDay", "LastDay", "Date", "Start", "End", "Week", "Sequence", "DisabilityGrade", "Kind", "Department",
        "MaxSessionsPerWeek", "MaxAwayMinutesPerDay", "MaxTravelMinutesPerDay", "StartTimeStepMinutes", "ChangePenaltyMinutes", "CanTeachRemotely", "MinSessionsPerTeachingWeek", "LessonMinutes",
        "MinAge", "MaxAge", "MaxDisabilityGrade", "RemoteCountsTowardHomeMinimum", "Progress", "CancelRequested", "FeedVersion",
        "Conclusion", "AssessmentValidMonths", "ToCountyCode", "DisabilityCategory", "LeftOn", "EffectiveFrom", "EffectiveUntil",
        "ApprovalNo", "Confirmation", "RequireGuardianConfirmation", "RequiredPhotos", "RequireCheckIn", "FarFromHomeMeters", "RequiredConfirmation", "RequiredCheckIn",
        "MissedGraceHours", "TravelToleranceMinutes",
    };

    /// <summary>
    /// Rows that are derived data, secrets or short-lived working state (a checked upload, a count of wrong codes), not
    /// changes a person made. Dated sessions are recorded through their timetable version (a run or a re-plan adds one
    /// row for the whole version).
    /// </summary>
    private static readonly HashSet<Type> Skipped = [typeof(AuditEntry), typeof(SessionStaff), typeof(ServerSecret), typeof(TimetableSession), typeof(Features.Coverage.CoverageWeek),
        typeof(Features.Coverage.CoverageVersion),         typeof(Features.Feeds.FeedDocument), typeof(Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey), typeof(CheckedUpload), typeof(ConfirmationMiss)];

    public static IReadOnlyList<AuditChange> Describe(ChangeTracker tracker)
    {
        var result = new List<AuditChange>();
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
            result.Add(new AuditChange(entry.State.ToString().ToLowerInvariant(), entry.Metadata.ClrType.Name, key, county, string.Join("; ", changed)));
        }
        return result;
    }

    /// <summary>Rows for the changes, each chained to the one before; <paramref name="previous"/> is the trail's last hash.</summary>
    public static IEnumerable<AuditEntry> Rows(IEnumerable<AuditChange> changes, string previous, AuditActor.Who who, DateTimeOffset at)
    {
        foreach (var change in changes)
        {
            var county = change.County.Length > 0 ? change.County : who.County;
            var hash = HashOf(previous, at, who.Actor, who.Role, county, change.Action, change.Type, change.Id, change.Summary, who.RequestId);
            yield return new AuditEntry
            {
                At = at, Actor = who.Actor, Role = who.Role, CountyCode = county, Action = change.Action, ObjectType = change.Type, ObjectId = change.Id,
                Summary = change.Summary, RequestId = who.RequestId, PreviousHash = previous, Hash = hash,
            };
            previous = hash;
        }
    }

    private static string Field(string name, object? before, object? after) =>
        PlainFields.Contains(name)
            ? $"{name}: {Format(before)} → {Format(after)}"
            : $"{name}: changed";

    private static string Format(object? value) => value switch
    {
        null => "∅",
        DateTimeOffset d => d.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        // Days and times as people and ISO write them (the invariant culture would say 11/30/2026).
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("HH:mm", CultureInfo.InvariantCulture),
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
public sealed class AuditActor(CurrentUser me, IHttpContextAccessor http)
{
    public readonly record struct Who(string Actor, string Role, string County, string RequestId);

    public static readonly Who System = new("system", "system", "", "");

    public Who Current() => me.IsSignedIn
        ? new Who(me.UserName, me.Role, me.CountyCode, http.HttpContext?.TraceIdentifier ?? "")
        : System with { RequestId = http.HttpContext?.TraceIdentifier ?? "" };
}
