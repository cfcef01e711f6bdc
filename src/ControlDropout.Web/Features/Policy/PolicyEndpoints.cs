using System.Security.Claims;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlDropout.Web.Features.Policy;

public sealed record PolicyDto(int MinSessionsPerTeachingWeek, int LessonMinutes, bool RemoteCountsTowardHomeMinimum, int MinAge, int MaxAge, int MaxDisabilityGrade);

/// <summary>The county's 送教 policy: configuration, not code. 临沧's notice is the default.</summary>
public static class PolicyEndpoints
{
    public static IEndpointRouteBuilder MapPolicy(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/policy").WithTags("Policy");
        group.MapGet("/", Get);
        group.MapPut("/", Put).RequireAuthorization(Policies.Decide);
        return app;
    }

    public static async Task<Ok<PolicyDto>> Get(ClaimsPrincipal user, AppDbContext db, CancellationToken ct)
    {
        var county = Caller.From(user).CountyCode;
        var policy = await db.Policies.FindAsync([county], ct).ConfigureAwait(false) ?? CountyPolicy.LincangDefault(county);
        return TypedResults.Ok(ToDto(policy));
    }

    public static async Task<Results<Ok<PolicyDto>, ValidationProblem>> Put(PolicyDto request, ClaimsPrincipal user, AppDbContext db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.MinSessionsPerTeachingWeek is < 1 or > 7)
        {
            errors["minSessionsPerTeachingWeek"] = ["每个教学周送教次数须在 1 到 7 之间"];
        }
        if (request.LessonMinutes is < 20 or > 90)
        {
            errors["lessonMinutes"] = ["每课时须在 20 到 90 分钟之间"];
        }
        if (request.MinAge < 3 || request.MaxAge > 18 || request.MinAge > request.MaxAge)
        {
            errors["minAge"] = ["适龄范围须在 3 到 18 周岁之间，且下限不大于上限"];
        }
        if (request.MaxDisabilityGrade is < 1 or > 4)
        {
            errors["maxDisabilityGrade"] = ["残疾等级上限须为 1 到 4 级"];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var county = Caller.From(user).CountyCode;
        var policy = await db.Policies.FindAsync([county], ct).ConfigureAwait(false);
        if (policy is null)
        {
            policy = CountyPolicy.LincangDefault(county);
            db.Policies.Add(policy);
        }
        policy.MinSessionsPerTeachingWeek = request.MinSessionsPerTeachingWeek;
        policy.LessonMinutes = request.LessonMinutes;
        policy.RemoteCountsTowardHomeMinimum = request.RemoteCountsTowardHomeMinimum;
        policy.MinAge = request.MinAge;
        policy.MaxAge = request.MaxAge;
        policy.MaxDisabilityGrade = request.MaxDisabilityGrade;
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return TypedResults.Ok(ToDto(policy));
    }

    private static PolicyDto ToDto(CountyPolicy p) => new(p.MinSessionsPerTeachingWeek, p.LessonMinutes, p.RemoteCountsTowardHomeMinimum, p.MinAge, p.MaxAge, p.MaxDisabilityGrade);
}
