using ControlDropout.Web.Domain;

namespace ControlDropout.Web.Features.Visits;

/// <summary>What looks wrong about a record. Flags are computed and shown, never hidden.</summary>
public static class VisitFlags
{
    public const string Late = "late";
    public const string ImpossibleTravel = "impossible_travel";
    public const string NoContent = "no_content";
    public const string ShortSession = "short";
    public const string DuringLeave = "during_leave";

    /// <summary>Recorded more than this long after the visit ended: 补录.</summary>
    public static readonly TimeSpan LateAfter = TimeSpan.FromHours(48);

    public sealed record Context(
        IReadOnlyDictionary<StudentId, Student> Students,
        IReadOnlyDictionary<Guid, Staff> Staff,
        IReadOnlyList<StaffLeave> Leave,
        Func<StudentId, int> PlannedMinutes,
        IReadOnlyList<VisitRecord> SameDayRecords);

    public static IReadOnlyList<string> For(VisitRecord record, Context context)
    {
        var flags = new List<string>();
        var endedAt = new DateTimeOffset(record.Date.ToDateTime(record.End), Conventions.ChinaOffset);
        if (record.RecordedAt - endedAt > LateAfter)
        {
            flags.Add(Late);
        }
        if (record.Missed)
        {
            return flags;
        }
        if (string.IsNullOrWhiteSpace(record.Content) || record.GoalsAddressed.Count == 0)
        {
            flags.Add(NoContent);
        }
        if ((record.End.ToTimeSpan() - record.Start.ToTimeSpan()).TotalMinutes < context.PlannedMinutes(record.StudentId))
        {
            flags.Add(ShortSession);
        }
        if (record.StaffPresent.Any(s => context.Leave.Any(l => l.StaffId.Value == s && l.FirstDay <= record.Date && record.Date <= l.LastDay)))
        {
            flags.Add(DuringLeave);
        }
        if (record.StaffPresent.Any(s => CannotAlsoBeAtOther(record, s, context)))
        {
            flags.Add(ImpossibleTravel);
        }
        return flags;
    }

    /// <summary>Another record of the same staff member that day leaves too little time to travel between the two places.</summary>
    private static bool CannotAlsoBeAtOther(VisitRecord record, Guid staff, Context context)
    {
        foreach (var other in context.SameDayRecords)
        {
            if (other.Id == record.Id || other.Missed || other.Date != record.Date || !other.StaffPresent.Contains(staff))
            {
                continue;
            }
            var (first, second) = other.Start <= record.Start ? (other, record) : (record, other);
            // TimeOnly subtraction wraps at midnight; overlapping records must give a negative gap.
            var gap = (second.Start.ToTimeSpan() - first.End.ToTimeSpan()).TotalMinutes;
            var travel = TravelMinutes(first, second, staff, context);
            if (gap < travel)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The scheduler's own road minutes between the two places (a teacher's base for an online session): a gap it would plan is never flagged.</summary>
    private static int TravelMinutes(VisitRecord a, VisitRecord b, Guid staff, Context context)
    {
        (double Lat, double Lon) Where(VisitRecord r) =>
            r.Place == VisitPlace.Online && context.Staff.TryGetValue(staff, out var s)
                ? (s.BaseLat, s.BaseLon)
                : context.Students.TryGetValue(r.StudentId, out var child) ? (child.HomeLat, child.HomeLon) : (0, 0);
        var (lat1, lon1) = Where(a);
        var (lat2, lon2) = Where(b);
        return Conventions.TravelMinutes(lat1, lon1, lat2, lon2);
    }
}
