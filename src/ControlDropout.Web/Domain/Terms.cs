namespace ControlDropout.Web.Domain;

/// <summary>学期: the term of one county, with its first and last day.</summary>
public sealed class Term
{
    public required TermId Id { get; init; }
    public required string CountyCode { get; init; }
    public required string Name { get; set; }
    public required DateOnly FirstDay { get; set; }
    public required DateOnly LastDay { get; set; }
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

    public static CountyPolicy LincangDefault(string countyCode) => new() { CountyCode = countyCode };
}
