using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Policy;

public sealed record PolicyDto(int MinSessionsPerTeachingWeek, int LessonMinutes, bool RemoteCountsTowardHomeMinimum, int MinAge, int MaxAge, int MaxDisabilityGrade);

/// <summary>The county's 送教 policy: configuration, not code. 临沧's notice is the default.</summary>
public sealed class CountyPolicies(AppDbContext db, CurrentUser me)
{
    /// <summary>Every role of the county works under its policy, so every role may read it.</summary>
    public async Task<Result<PolicyDto>> GetAsync(CancellationToken ct)
    {
        if (!me.IsSignedIn)
        {
            return Refusal.NotAllowed();
        }
        var policy = await db.Policies.FindAsync([me.CountyCode], ct).ConfigureAwait(false) ?? CountyPolicy.LincangDefault(me.CountyCode);
        return ToDto(policy);
    }

    public async Task<Result<PolicyDto>> PutAsync(PolicyDto request, CancellationToken ct)
    {
        if (!me.May(Permission.ManageCounty))
        {
            return Refusal.NotAllowed();
        }
        var errors = new List<ApiError>();
        if (request.MinSessionsPerTeachingWeek is < 1 or > 7)
        {
            errors.Add(new ApiError("minSessionsPerTeachingWeek", "每个教学周送教次数须在 1 到 7 之间"));
        }
        if (request.LessonMinutes is < 20 or > 90)
        {
            errors.Add(new ApiError("lessonMinutes", "每课时须在 20 到 90 分钟之间"));
        }
        if (request.MinAge < 3 || request.MaxAge > 18 || request.MinAge > request.MaxAge)
        {
            errors.Add(new ApiError("minAge", "适龄范围须在 3 到 18 周岁之间，且下限不大于上限"));
        }
        if (request.MaxDisabilityGrade is < 1 or > 4)
        {
            errors.Add(new ApiError("maxDisabilityGrade", "残疾等级上限须为 1 到 4 级"));
        }
        if (errors.Count > 0)
        {
            return Refusal.Invalid(errors);
        }
        var policy = await db.Policies.FindAsync([me.CountyCode], ct).ConfigureAwait(false);
        if (policy is null)
        {
            policy = CountyPolicy.LincangDefault(me.CountyCode);
            db.Policies.Add(policy);
        }
        policy.MinSessionsPerTeachingWeek = request.MinSessionsPerTeachingWeek;
        policy.LessonMinutes = request.LessonMinutes;
        policy.RemoteCountsTowardHomeMinimum = request.RemoteCountsTowardHomeMinimum;
        policy.MinAge = request.MinAge;
        policy.MaxAge = request.MaxAge;
        policy.MaxDisabilityGrade = request.MaxDisabilityGrade;
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return ToDto(policy);
    }

    private static PolicyDto ToDto(CountyPolicy p) => new(p.MinSessionsPerTeachingWeek, p.LessonMinutes, p.RemoteCountsTowardHomeMinimum, p.MinAge, p.MaxAge, p.MaxDisabilityGrade);
}
