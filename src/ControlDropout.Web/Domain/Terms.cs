namespace ControlDropout.Web.Domain;

/// <summary>学期: the term of one county, with its first and last day.</summary>
public sealed class Term
{
    public required TermId Id { get; init; }
    public required string CountyCode { get; init; }
    public required string Name { get; set; }
    public required DateOnly FirstDay { get; set; }
    public required DateOnly LastDay { get; set; }
    /// <summary>Days of the week taught in this term, ISO numbering (1 = Monday); 调休 workdays are taught too.</summary>
    public List<int> TeachingWeekdays { get; set; } = [1, 2, 3, 4, 5];
}

/// <summary>A local closure (停课): the whole county, or one township, for a span of days.</summary>
public sealed class Closure
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string CountyCode { get; init; }
    /// <summary>Null for the whole county.</summary>
    public string? TownshipCode { get; init; }
    public required DateOnly FirstDay { get; init; }
    public required DateOnly LastDay { get; init; }
    public required string Reason { get; init; }
    public required string CreatedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// A county's 送教 policy. Policy is configuration, not code: 临沧's 2020 notice is the default
/// (at least one visit per teaching week, a 课时 of 40 minutes, ages 6–15).
/// </summary>
public sealed class CountyPolicy
{
    public required string CountyCode { get; init; }
    public int MinSessionsPerTeachingWeek { get; set; } = 1;
    public int LessonMinutes { get; set; } = 40;
    public bool RemoteCountsTowardHomeMinimum { get; set; } = true;
    public int MinAge { get; set; } = 6;
    public int MaxAge { get; set; } = 15;
    /// <summary>残疾等级 at or under this (1 the most severe) qualify without an exception.</summary>
    public int MaxDisabilityGrade { get; set; } = 2;
    /// <summary>Hours after a session's end before a session with no visit record counts as missed (补录宽限).</summary>
    public int MissedGraceHours { get; set; } = DefaultMissedGraceHours;
    /// <summary>Minutes by which two visits may fall short of the road time between them before the pair is flagged.</summary>
    public int TravelToleranceMinutes { get; set; } = DefaultTravelToleranceMinutes;

    /// <summary>How old, in months, an expert committee assessment may be on a plan's start day and still admit the child.</summary>
    public int AssessmentValidMonths { get; set; } = DefaultAssessmentValidMonths;

    /// <summary>Visit evidence (issue 14): a delivered visit's record without what the county requires is flagged no_evidence.</summary>
    public bool RequireGuardianConfirmation { get; set; }
    /// <summary>How many photos a delivered visit's record must carry (0–3).</summary>
    public int RequiredPhotos { get; set; }
    public bool RequireCheckIn { get; set; }
    /// <summary>A check-in farther than this from the child's home is flagged far_from_home.</summary>
    public int FarFromHomeMeters { get; set; } = DefaultFarFromHomeMeters;

    /// <summary>Planning (issue 15): every session starts on this grid of minutes (1, 5, 10, 15 or 30), so a family hears "09:30", not "09:34".</summary>
    public int StartTimeStepMinutes { get; set; } = DefaultStartTimeStepMinutes;
    /// <summary>A re-run moves a child's day, start or team only when it saves more than this many minutes of driving.</summary>
    public int ChangePenaltyMinutes { get; set; } = DefaultChangePenaltyMinutes;

    public const int DefaultStartTimeStepMinutes = 5;
    public const int DefaultChangePenaltyMinutes = 60;
    public const int DefaultFarFromHomeMeters = 1000;
    public const int DefaultAssessmentValidMonths = 12;
    public const int DefaultMissedGraceHours = 48;
    public const int DefaultTravelToleranceMinutes = 10;

    public static CountyPolicy LincangDefault(string countyCode) => new() { CountyCode = countyCode };
}
