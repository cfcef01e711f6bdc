using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Policy;

/// <remarks>
/// The grace period, the travel tolerance, the evidence (issue 14) and the planning rules (issue 15: the start grid and
/// what a change of a child's day, start or team is worth in minutes of driving) came later: a request without them gets the defaults.
/// </remarks>
public sealed record PolicyDto(int MinSessionsPerTeachingWeek, int LessonMinutes, bool RemoteCountsTowardHomeMinimum, int MinAge, int MaxAge, int MaxDisabilityGrade,
    int MissedGraceHours = CountyPolicy.DefaultMissedGraceHours, int TravelToleranceMinutes = CountyPolicy.DefaultTravelToleranceMinutes,
    int AssessmentValidMonths = CountyPolicy.DefaultAssessmentValidMonths,
    bool RequireGuardianConfirmation = false, int RequiredPhotos = 0, bool RequireCheckIn = false, int FarFromHomeMeters = CountyPolicy.DefaultFarFromHomeMeters,
    int StartTimeStepMinutes = CountyPolicy.DefaultStartTimeStepMinutes, int ChangePenaltyMinutes = CountyPolicy.DefaultChangePenaltyMinutes);

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
        if (Validation.Check(PolicyValidator.Instance, request) is { } invalid)
        {
            return invalid;
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
        policy.MissedGraceHours = request.MissedGraceHours;
        policy.TravelToleranceMinutes = request.TravelToleranceMinutes;
        policy.AssessmentValidMonths = request.AssessmentValidMonths;
        (policy.RequireGuardianConfirmation, policy.RequiredPhotos, policy.RequireCheckIn, policy.FarFromHomeMeters) =
            (request.RequireGuardianConfirmation, request.RequiredPhotos, request.RequireCheckIn, request.FarFromHomeMeters);
        (policy.StartTimeStepMinutes, policy.ChangePenaltyMinutes) = (request.StartTimeStepMinutes, request.ChangePenaltyMinutes);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return ToDto(policy);
    }

    private static PolicyDto ToDto(CountyPolicy p) => new(p.MinSessionsPerTeachingWeek, p.LessonMinutes, p.RemoteCountsTowardHomeMinimum, p.MinAge, p.MaxAge, p.MaxDisabilityGrade,
        p.MissedGraceHours, p.TravelToleranceMinutes, p.AssessmentValidMonths, p.RequireGuardianConfirmation, p.RequiredPhotos, p.RequireCheckIn, p.FarFromHomeMeters,
        p.StartTimeStepMinutes, p.ChangePenaltyMinutes);
}
