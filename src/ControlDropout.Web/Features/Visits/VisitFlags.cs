using System.Globalization;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Visits;

/// <summary>What looks wrong about a record. Flags are computed and shown, never hidden.</summary>
public static class VisitFlags
{
    public const string Late = "late";
    public const string ImpossibleTravel = "impossible_travel";
    public const string NoContent = "no_content";
    public const string ShortSession = "short";
    public const string DuringLeave = "during_leave";
    /// <summary>On another day than its session's, with a declared reason (改期).</summary>
    public const string Rescheduled = "rescheduled";
    /// <summary>Stored values no request could have written (a date outside 2000–2100, an end before the start, control characters): shown, marked, never a failed list.</summary>
    public const string Damaged = "damaged";
    /// <summary>Checked in farther from the child's home than the county's <see cref="CountyPolicy.FarFromHomeMeters"/> (not for online sessions).</summary>
    public const string FarFromHome = "far_from_home";
    /// <summary>A delivered visit's record without the evidence the county's policy requires (家长确认, photos, 签到).</summary>
    public const string NoEvidence = "no_evidence";

    /// <summary>Recorded more than this long after the visit ended: 补录.</summary>
    public static readonly TimeSpan LateAfter = TimeSpan.FromHours(48);

    /// <param name="TravelToleranceMinutes">The county's tolerance (<see cref="CountyPolicy.TravelToleranceMinutes"/>): two visits are flagged only when their gap falls short of the road by more than this.</param>
    public sealed record Context(
        IReadOnlyDictionary<StudentId, Student> Students,
        IReadOnlyDictionary<Guid, Staff> Staff,
        IReadOnlyList<StaffLeave> Leave,
        Func<StudentId, int> PlannedMinutes,
        IReadOnlyList<VisitRecord> SameDayRecords,
        int TravelToleranceMinutes = CountyPolicy.DefaultTravelToleranceMinutes);

    /// <summary>A flag with the facts behind it, where there are some to state (路程约 35 分钟，两次记录间隔 20 分钟).</summary>
    public sealed record Finding(string Code, string? Detail = null);

    /// <summary>The record's flags. Total: any value the database can hold gives an answer, never an exception.</summary>
    public static IReadOnlyList<string> For(VisitRecord record, Context context) => [.. Findings(record, context).Select(f => f.Code)];

    /// <summary>The record's flags with their details. Total, as <see cref="For"/>.</summary>
    public static IReadOnlyList<Finding> Findings(VisitRecord record, Context context)
    {
        var flags = new List<Finding>();
        if (IsDamaged(record))
        {
            flags.Add(new Finding(Damaged));
        }
        // In ticks, not as a DateTimeOffset: a date near 0001-01-01 or 9999-12-31 has no instant in UTC+8.
        var endedAtUtcTicks = record.Date.ToDateTime(record.End).Ticks - Conventions.ChinaOffset.Ticks;
        if (record.RecordedAt.UtcTicks - endedAtUtcTicks > LateAfter.Ticks)
        {
            flags.Add(new Finding(Late));
        }
        if (record.RescheduleReason is not null)
        {
            flags.Add(new Finding(Rescheduled));
        }
        if (FarFromHomeDetail(record, context) is { } far)
        {
            flags.Add(new Finding(FarFromHome, far));
        }
        if (record.Missed)
        {
            return flags;
        }
        if (MissingEvidence(record) is { } missing)
        {
            flags.Add(new Finding(NoEvidence, missing));
        }
        if (string.IsNullOrWhiteSpace(record.Content) || record.GoalsAddressed.Count == 0)
        {
            flags.Add(new Finding(NoContent));
        }
        if ((record.End.ToTimeSpan() - record.Start.ToTimeSpan()).TotalMinutes < context.PlannedMinutes(record.StudentId))
        {
            flags.Add(new Finding(ShortSession));
        }
        if (record.StaffPresent.Any(s => context.Leave.Any(l => l.StaffId.Value == s && l.FirstDay <= record.Date && record.Date <= l.LastDay)))
        {
            flags.Add(new Finding(DuringLeave));
        }
        if (record.StaffPresent.Select(s => CannotAlsoBeAtOther(record, s, context)).FirstOrDefault(d => d is not null) is { } travel)
        {
            flags.Add(new Finding(ImpossibleTravel, travel));
        }
        return flags;
    }

    /// <summary>
    /// Metres from the check-in position to the child's home, or null: no position, an online visit (the teacher
    /// is not at the home), or a child unknown to the context.
    /// </summary>
    public static int? CheckInDistance(VisitRecord record, IReadOnlyDictionary<StudentId, Student> students) =>
        record.CheckInLat is { } lat && record.CheckInLon is { } lon && record.Place != VisitPlace.Online && record.Mode != SessionModes.Remote
        && students.TryGetValue(record.StudentId, out var child)
            ? (int)Math.Round(Meters(lat, lon, child.HomeLat, child.HomeLon))
            : null;

    private static string? FarFromHomeDetail(VisitRecord record, Context context)
    {
        var limit = record.FarFromHomeMeters ?? CountyPolicy.DefaultFarFromHomeMeters;
        return CheckInDistance(record, context.Students) is { } metres && metres > limit ? $"签到位置距家约 {Distance(metres)}" : null;
    }

    /// <summary>A distance as people say it: 850 米, 2.3 公里.</summary>
    public static string Distance(int metres) =>
        metres < 1000 ? string.Create(CultureInfo.InvariantCulture, $"{metres} 米") : string.Create(CultureInfo.InvariantCulture, $"{metres / 1000.0:0.0} 公里");

    /// <summary>
    /// What of the evidence required when the visit was recorded (<see cref="VisitRecord.RequireAsOf(CountyPolicy)"/>) the
    /// record lacks, in words (缺少：家长确认、签到), or null when nothing.
    /// </summary>
    public static string? MissingEvidence(VisitRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var missing = new List<string>();
        if (record.RequiredConfirmation && record.Confirmation == GuardianConfirmation.None)
        {
            missing.Add("家长确认");
        }
        if (record.RequiredCheckIn && record.CheckInAt is null)
        {
            missing.Add("签到");
        }
        if (record.PhotoIds.Count < record.RequiredPhotos)
        {
            missing.Add(string.Create(CultureInfo.InvariantCulture, $"照片（需 {record.RequiredPhotos} 张，已有 {record.PhotoIds.Count} 张）"));
        }
        return missing.Count == 0 ? null : "缺少：" + string.Join("、", missing);
    }

    /// <summary>Great-circle metres between two WGS-84 points (a sphere of the earth's mean radius: ample at 100 m).</summary>
    public static double Meters(double lat1, double lon1, double lat2, double lon2)
    {
        const double EarthRadius = 6_371_008.8;
        static double Rad(double degrees) => degrees * Math.PI / 180;
        var dLat = Rad(lat2 - lat1);
        var dLon = Rad(lon2 - lon1);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadius * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>What the validator refuses today but an older or tampered row may hold.</summary>
    public static bool IsDamaged(VisitRecord record) =>
        record.Date < Validation.EarliestDate || record.Date > Validation.LatestDate || record.End <= record.Start
        || record.MakeUpDate is { } makeUp && (makeUp < Validation.EarliestDate || makeUp > Validation.LatestDate)
        || new[] { record.Content, record.ChildResponse, record.GuardianFeedback, record.GuardianName, record.HomeTask, record.MissedReason ?? "", record.CorrectionReason ?? "" }
            .Concat(record.GoalsAddressed).Any(text => text is not null && Validation.HasControlCharacters(text, allowLineBreaks: true));

    /// <summary>
    /// Another record of the same staff member that day leaves too little time to travel between the two places:
    /// a gap shorter than the scheduler's own road minutes less the county's tolerance. The answer states both
    /// times; null when every pair is possible.
    /// </summary>
    private static string? CannotAlsoBeAtOther(VisitRecord record, Guid staff, Context context)
    {
        foreach (var other in context.SameDayRecords)
        {
            // Another version of the same session is the same visit, not a second one.
            if (other.Id == record.Id || other.SessionKey == record.SessionKey || other.Missed || other.Date != record.Date || !other.StaffPresent.Contains(staff))
            {
                continue;
            }
            var (first, second) = other.Start <= record.Start ? (other, record) : (record, other);
            // TimeOnly subtraction wraps at midnight; overlapping records must give a negative gap.
            var gap = (second.Start.ToTimeSpan() - first.End.ToTimeSpan()).TotalMinutes;
            var travel = TravelMinutes(first, second, staff, context);
            if (gap < travel - context.TravelToleranceMinutes)
            {
                return Detail(travel, (int)Math.Floor(gap));
            }
        }
        return null;
    }

    /// <summary>The words of an impossible-travel flag: the road the scheduler assumes and the gap the records leave.</summary>
    public static string Detail(int travelMinutes, int gapMinutes) =>
        gapMinutes < 0
            ? $"路程约 {travelMinutes} 分钟，两次记录时间重叠 {-gapMinutes} 分钟"
            : $"路程约 {travelMinutes} 分钟，两次记录间隔 {gapMinutes} 分钟";

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
