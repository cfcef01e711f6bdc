using ControlDropout.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlDropout.Web.Features.Coverage;

/// <summary>
/// 周覆盖汇总: one child's teaching week as <see cref="TermRecord.FactsOf"/> states it, kept by
/// <see cref="CoverageSummary"/> in the transaction of every write that changes it, with the child's village and school
/// of record so that a read needs no other table. What depends on the clock is not stored: <see cref="WeekFacts.At"/>
/// derives it when read.
/// </summary>
public sealed class CoverageWeek
{
    public required string CountyCode { get; init; }
    public required TermId TermId { get; init; }
    public required StudentId StudentId { get; init; }
    /// <summary>The ISO week, as <c>2026-W37</c>.</summary>
    public required string Week { get; init; }
    public required DateOnly Monday { get; init; }
    public required string VillageCode { get; init; }
    public required SchoolId SchoolId { get; init; }
    public required WeekKind Kind { get; init; }
    public required int Required { get; init; }
    public required int Delivered { get; init; }
    /// <summary>When each counted session still without a record turns missed (UTC: PostgreSQL stores instants so).</summary>
    public List<DateTimeOffset> PendingMissedFrom { get; init; } = [];
    public List<Guid> StaffIds { get; init; } = [];

    public WeekFacts Facts => new(Kind, Monday, Required, Delivered, PendingMissedFrom, StaffIds);

    public static CoverageWeek Of(string countyCode, TermId term, Student child, string week, WeekFacts facts) =>
        Of(countyCode, term, child.Id, child.VillageCode, child.SchoolOfRecordId, week, facts);

    public static CoverageWeek Of(string countyCode, TermId term, StudentId child, string villageCode, SchoolId school, string week, WeekFacts facts) => new()
    {
        CountyCode = countyCode, TermId = term, StudentId = child, Week = week, Monday = facts.Monday, VillageCode = villageCode,
        SchoolId = school, Kind = facts.Kind, Required = facts.Required, Delivered = facts.Delivered,
        PendingMissedFrom = [.. facts.PendingMissedFrom.Select(at => at.ToUniversalTime())], StaffIds = [.. facts.StaffIds],
    };
}

public sealed class CoverageWeekConfiguration : IEntityTypeConfiguration<CoverageWeek>
{
    public void Configure(EntityTypeBuilder<CoverageWeek> builder)
    {
        // The key leads with county and term (a term's matrix), then the child (a refresh replaces one child's weeks).
        builder.HasKey(w => new { w.CountyCode, w.TermId, w.StudentId, w.Week });
        // One week of a county's term: /api/coverage.
        builder.HasIndex(w => new { w.CountyCode, w.TermId, w.Week });
        builder.Ignore(w => w.Facts);
    }
}

/// <summary>
/// How many times the summary of a county's term was rewritten: raised by <see cref="CoverageSummary"/> in the same
/// transaction as the rows, so that an instance holding rows in memory (<see cref="SummaryCache"/>) can ask the database,
/// with one small read, whether they are still the rows — whichever instance wrote since.
/// </summary>
public sealed class CoverageVersion
{
    public required string CountyCode { get; init; }
    public required TermId TermId { get; init; }
    public long Version { get; set; }
}

public sealed class CoverageVersionConfiguration : IEntityTypeConfiguration<CoverageVersion>
{
    public void Configure(EntityTypeBuilder<CoverageVersion> builder) => builder.HasKey(v => new { v.CountyCode, v.TermId });
}
