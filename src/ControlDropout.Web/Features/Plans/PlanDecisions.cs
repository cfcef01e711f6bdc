using System.Globalization;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Features.Timetables;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Plans;

/// <summary>
/// A plan with what a reviewer needs beside it: the term's name, each failed eligibility condition of the
/// current version, and the days the plan is in force (null while it was never approved).
/// </summary>
public sealed record PlanReview(PlanDto Plan, string TermName, IReadOnlyList<ApiError> Ineligible, EffectiveSpan? Span);

/// <summary>A decision taken on one version, for the approver's queue.</summary>
public sealed record PlanDecision(Guid PlanId, Guid StudentId, PlanVersionDto Version);

/// <summary>The approver's queue: plans awaiting a decision, and the latest decisions taken.</summary>
public sealed record AwaitingDecision(IReadOnlyList<PlanReview> Submitted, IReadOnlyList<PlanDecision> Decided);

/// <summary>
/// The one door to 个性化送教方案: reading, writing, submitting and deciding. Pages and the API both come
/// through here. Each use case asks, in this order: may the caller's role do this at all
/// (<see cref="Permission.EditPlans"/>, <see cref="Permission.DecidePlans"/>), is the plan theirs to see
/// (county; a coordinator's school; a teacher's named plans — else 404, as if absent), is the caller's
/// version the current one (If-Match), and does the workflow allow the step. Approval asks the rules again
/// (eligibility at decision time) and fixes the day the plan takes effect; closing fixes the day it ends.
/// </summary>
public sealed class PlanDecisions(AppDbContext db, CurrentUser me, TimeProvider clock, HolidayCalendar holidays)
{
    /// <summary>The plans the caller may see at all; another county's plan is as absent as a missing one.</summary>
    private IQueryable<Plan> Visible()
    {
        var plans = db.Plans.Include(p => p.Versions).Where(p => p.CountyCode == me.CountyCode);
        if (me.IsCoordinator)
        {
            var school = me.SchoolId;
            return plans.Where(p => school != null && p.SchoolId == school);
        }
        if (me.IsTeacher)
        {
            return me.StaffId is { } staff
                ? plans.Where(p => p.Versions.Any(v => v.PreferredStaffIds.Contains(staff.Value)))
                : plans.Where(_ => false);
        }
        return plans;
    }

    public async Task<Result<List<PlanSummaryDto>>> ListAsync(PlanStatus? status, StudentId? student, TermId? term, CancellationToken ct)
    {
        if (status is { } wanted && !Enum.IsDefined(wanted))
        {
            // ?status=99 binds as a number; no plan has that status, and an empty list would pass for an answer.
            return Refusal.Invalid("status", "方案状态不是可选的值");
        }
        var query = Visible().AsNoTracking();
        if (student is { } s)
        {
            query = query.Where(p => p.StudentId == s);
        }
        if (term is { } t)
        {
            query = query.Where(p => p.TermId == t);
        }
        var plans = await query.ToListAsync(ct).ConfigureAwait(false);
        return plans
            .Select(p => (Plan: p, Current: PlanWorkflow.Current(p)))
            .Where(x => status is null || x.Current.Status == status)
            .Select(x => new PlanSummaryDto(x.Plan.Id.Value, x.Plan.StudentId.Value, x.Plan.TermId.Value, x.Current.Status, x.Current.Number))
            .ToList();
    }

    public async Task<Result<PlanDto>> GetAsync(PlanId id, CancellationToken ct)
    {
        var plan = await Visible().AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct).ConfigureAwait(false);
        return plan is null ? Refusal.NotFound() : ToDto(plan);
    }

    /// <summary>A plan as its reviewer sees it: with the term and the current version's failed eligibility conditions.</summary>
    public async Task<Result<PlanReview>> ReviewAsync(PlanId id, CancellationToken ct)
    {
        var plan = await Visible().AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct).ConfigureAwait(false);
        return plan is null ? Refusal.NotFound() : await ReviewOfAsync(plan, ct).ConfigureAwait(false);
    }

    /// <summary>The approver's queue: submitted plans, oldest submission first, and the most recent decisions.</summary>
    public async Task<Result<AwaitingDecision>> QueueAsync(int recentDecisions, CancellationToken ct)
    {
        var plans = await Visible().AsNoTracking().ToListAsync(ct).ConfigureAwait(false);
        var submitted = new List<PlanReview>();
        foreach (var plan in plans.Where(p => PlanWorkflow.Current(p).Status == PlanStatus.Submitted).OrderBy(p => PlanWorkflow.Current(p).SubmittedAt))
        {
            submitted.Add(await ReviewOfAsync(plan, ct).ConfigureAwait(false));
        }
        var decided = plans.SelectMany(p => p.Versions.Where(v => v.DecidedAt is not null).Select(v => (Plan: p, Version: v)))
            .OrderByDescending(x => x.Version.DecidedAt).Take(recentDecisions)
            .Select(x => new PlanDecision(x.Plan.Id.Value, x.Plan.StudentId.Value, ToDto(x.Version)))
            .ToList();
        return new AwaitingDecision(submitted, decided);
    }

    public async Task<Result<PlanDto>> CreateAsync(CreatePlanRequest request, CancellationToken ct)
    {
        if (!me.May(Permission.EditPlans))
        {
            return Refusal.NotAllowed();
        }
        // The policy is read first: the content's checks (sessions a week, lesson length) are the county's.
        if (Validation.Check(new CreatePlanRequestValidator(await PolicyAsync(ct).ConfigureAwait(false)), request) is { } invalid)
        {
            return invalid;
        }
        var student = await db.Students.SingleOrDefaultAsync(s => s.Id == new StudentId(request.StudentId) && s.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
        if (student is null || !me.ActsFor(student.SchoolOfRecordId))
        {
            return Refusal.NotFound();
        }
        if (student.Status == StudentStatus.Left)
        {
            // Off the 送教 roster (随班就读, transferred, aged out…): kept in history, offered for no new plan.
            return Refusal.Conflict("child_left", $"该学生已于 {student.LeftOn:yyyy-MM-dd} 离开送教名单，不能再制定送教方案");
        }
        var term = await db.Terms.SingleOrDefaultAsync(t => t.Id == new TermId(request.TermId) && t.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
        if (term is null)
        {
            return Refusal.NotFound();
        }
        if (StartOutside(term, request.Plan.StartDate) is { } outside)
        {
            return outside;
        }
        if (await db.Plans.AnyAsync(p => p.StudentId == student.Id && p.TermId == term.Id, ct).ConfigureAwait(false))
        {
            return PlanExists();
        }
        var plan = new Plan { Id = PlanId.New(), StudentId = student.Id, TermId = term.Id, CountyCode = me.CountyCode, SchoolId = student.SchoolOfRecordId };
        var version = new PlanVersion { PlanId = plan.Id, Number = 1, CreatedBy = me.UserName, CreatedAt = clock.GetUtcNow() };
        PlanWorkflow.Apply(version, request.Plan);
        plan.Versions.Add(version);
        db.Plans.Add(plan);
        try
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch (DbUpdateException e) when (DbErrors.IsConstraintViolation(e))
        {
            // Two identical creations passed the check above at once; the unique index let one in.
            return PlanExists();
        }
        return ToDto(plan);
    }

    /// <summary>A start date (开始日期) must fall within the plan's term; the field is named as in the API's JSON.</summary>
    private static Refusal? StartOutside(Term term, DateOnly? start) =>
        start is { } day && (day < term.FirstDay || day > term.LastDay)
            ? Refusal.Invalid("plan.startDate", $"开始日期须在学期内（{term.FirstDay:yyyy-MM-dd} 至 {term.LastDay:yyyy-MM-dd}）")
            : null;

    private Task<Term> TermOfAsync(Plan plan, CancellationToken ct) =>
        db.Terms.AsNoTracking().SingleAsync(t => t.Id == plan.TermId, ct);

    private static Refusal PlanExists() => Refusal.Conflict("plan_exists", "该学生本学期已有送教方案，请修改原方案");

    public Task<Result<PlanDto>> UpdateAsync(PlanId id, string? ifMatch, PlanContent content, CancellationToken ct) =>
        TransitionAsync(id, ifMatch, Permission.EditPlans, () => InvalidContentAsync(content, ct), async (plan, current) =>
        {
            if (current.Status is not (PlanStatus.Submitted or PlanStatus.Closed)
                && StartOutside(await TermOfAsync(plan, ct).ConfigureAwait(false), content.StartDate) is { } outside)
            {
                return outside;
            }
            switch (current.Status)
            {
                case PlanStatus.Draft:
                    PlanWorkflow.Apply(current, content);
                    return null;
                case PlanStatus.Submitted:
                    return Refusal.Conflict("awaiting_decision", "方案已提交待审批，审批前不能修改");
                case PlanStatus.Closed:
                    return Refusal.Conflict("plan_closed", "方案已关闭，不能修改");
                default:
                    // An approved or rejected version stays as it was decided: the change is a new version.
                    var next = new PlanVersion { PlanId = plan.Id, Number = current.Number + 1, CreatedBy = me.UserName, CreatedAt = clock.GetUtcNow() };
                    PlanWorkflow.Apply(next, content);
                    plan.Versions.Add(next);
                    // Added explicitly: its key is set already, so found through the navigation it would pass for an update.
                    db.PlanVersions.Add(next);
                    return null;
            }
        }, ct);

    /// <summary>A plan's new content, checked under the county's policy; its fields named as in a new plan's request (<c>plan.coursePlan</c>).</summary>
    private async Task<Refusal?> InvalidContentAsync(PlanContent? content, CancellationToken ct)
    {
        var refusal = Validation.Check(new PlanContentValidator(await PolicyAsync(ct).ConfigureAwait(false)), content);
        return refusal is null ? null : refusal with { Errors = [.. refusal.Errors.Select(e => e with { Code = e.Code.Length == 0 ? "plan" : "plan." + e.Code })] };
    }

    public Task<Result<PlanDto>> SubmitAsync(PlanId id, string? ifMatch, CancellationToken ct) =>
        TransitionAsync(id, ifMatch, Permission.EditPlans, async (plan, current) =>
        {
            if (current.Status != PlanStatus.Draft)
            {
                return Refusal.Conflict("not_a_draft", "只有草稿可以提交审批");
            }
            var failed = await EligibilityAsync(plan, current, ct).ConfigureAwait(false);
            if (failed.Count > 0)
            {
                return Refusal.Unprocessable("not_eligible", "不符合送教上门条件", failed);
            }
            current.Status = PlanStatus.Submitted;
            current.SubmittedBy = me.UserName;
            current.SubmittedAt = clock.GetUtcNow();
            return null;
        }, ct);

    /// <summary>
    /// An approver's reason to admit a child above the policy's 残疾等级, on a draft or on a version awaiting
    /// the decision. It changes nothing of the submitted content (which stays frozen); the revision moves, so
    /// a decision taken on the page as it was before the exception needs the new ETag.
    /// </summary>
    public Task<Result<PlanDto>> RecordGradeExceptionAsync(PlanId id, string? ifMatch, string? reason, CancellationToken ct) =>
        TransitionAsync(id, ifMatch, Permission.DecidePlans, () => Task.FromResult(Validation.Check(GradeExceptionRequestValidator.Instance, new GradeExceptionRequest(reason))), (plan, current) =>
        {
            if (current.Status is not (PlanStatus.Draft or PlanStatus.Submitted))
            {
                return Refusal.Conflict("not_a_draft", "只能为草稿或待审批的方案登记例外");
            }
            current.GradeException = $"{reason!.Trim()}（{me.UserName} 登记）";
            return null;
        }, ct);

    /// <summary>Approves the submitted version with its 审批文号: <paramref name="approvalNo"/>, or when empty the county's next in sequence.</summary>
    public Task<Result<PlanDto>> ApproveAsync(PlanId id, string? ifMatch, string? opinion, string? approvalNo, CancellationToken ct) =>
        DecideAsync(id, ifMatch, new DecisionRequest(opinion, approvalNo), approve: true, ct);

    public Task<Result<PlanDto>> RejectAsync(PlanId id, string? ifMatch, string? opinion, CancellationToken ct) =>
        DecideAsync(id, ifMatch, new DecisionRequest(opinion), approve: false, ct);

    /// <summary>
    /// A decision on the submitted version. Approval asks eligibility again, as of now (the child's record may
    /// have changed since the submission): a failed condition not covered by a recorded exception refuses it,
    /// each condition named. The plan's first approval fixes <see cref="Plan.EffectiveFrom"/>.
    /// </summary>
    private Task<Result<PlanDto>> DecideAsync(PlanId id, string? ifMatch, DecisionRequest request, bool approve, CancellationToken ct) =>
        TransitionAsync(id, ifMatch, Permission.DecidePlans, () => Task.FromResult(Validation.Check(DecisionRequestValidator.Instance, request)), async (plan, current) =>
        {
            var opinion = request.Opinion;
            if (current.Status != PlanStatus.Submitted)
            {
                return Refusal.Conflict("not_submitted", "方案不在待审批状态");
            }
            if (current.SubmittedBy == me.UserName)
            {
                return Refusal.Forbidden("own_submission", "不能审批自己提交的方案");
            }
            if (!approve && string.IsNullOrWhiteSpace(opinion))
            {
                return Refusal.Invalid("opinion", "退回时须填写审批意见");
            }
            if (approve)
            {
                var failed = await EligibilityAsync(plan, current, ct).ConfigureAwait(false);
                if (failed.Count > 0)
                {
                    return Refusal.Unprocessable("not_eligible", "不符合送教上门条件，不能批准", failed);
                }
                if (await TakeEffectAsync(plan, current, ct).ConfigureAwait(false) is { } noDayLeft)
                {
                    return noDayLeft;
                }
            }
            current.Status = approve ? PlanStatus.Approved : PlanStatus.Rejected;
            current.DecidedBy = me.UserName;
            current.DecidedAt = clock.GetUtcNow();
            current.Opinion = opinion?.Trim();
            if (approve)
            {
                // Last, once every rule has passed: a sequence number is taken only by an approval that is saved.
                current.ApprovalNo = string.IsNullOrWhiteSpace(request.ApprovalNo)
                    ? await NextApprovalNoAsync(plan.CountyCode, ct).ConfigureAwait(false)
                    : request.ApprovalNo.Trim();
            }
            return null;
        }, ct);

    /// <summary>
    /// The county's next 审批文号, e.g. 临翔区送教审〔2026〕12号: the year of the approval day in Beijing, and n = 1 +
    /// the highest n the county's versions already hold in that year's form (which is the count of versions
    /// numbered by the sequence that year, and never repeats a number an approver typed in the same form).
    /// Two approvals at once do not share a number: the <see cref="WriteLock"/> is taken here before the
    /// highest number is read, and held until the approval is saved (<see cref="TransitionAsync(PlanId, string?, Permission, Func{Task{Refusal?}}, Func{Plan, PlanVersion, Task{Refusal?}}, CancellationToken)"/>
    /// commits it), so a second approver's count waits for the first one's number.
    /// </summary>
    private async Task<string> NextApprovalNoAsync(string countyCode, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
        {
            await WriteLock.BeginAsync(db.Database, ct).ConfigureAwait(false);
        }
        var county = (await db.Counties.AsNoTracking().SingleOrDefaultAsync(c => c.Code == countyCode, ct).ConfigureAwait(false))?.Name ?? countyCode;
        var prefix = $"{county}送教审〔{Conventions.ChinaDay(clock.GetUtcNow()).Year.ToString(CultureInfo.InvariantCulture)}〕";
        var taken = await db.PlanVersions.AsNoTracking()
            .Where(v => v.ApprovalNo != null && v.ApprovalNo.StartsWith(prefix) && db.Plans.Any(p => p.Id == v.PlanId && p.CountyCode == countyCode))
            .Select(v => v.ApprovalNo!).ToListAsync(ct).ConfigureAwait(false);
        var highest = taken.Select(no => no[prefix.Length..].TrimEnd('号'))
            .Select(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0).DefaultIfEmpty(0).Max();
        return string.Create(CultureInfo.InvariantCulture, $"{prefix}{highest + 1}号");
    }

    public Task<Result<PlanDto>> ActivateAsync(PlanId id, string? ifMatch, CancellationToken ct) =>
        TransitionAsync(id, ifMatch, Permission.DecidePlans, (plan, current) =>
        {
            if (current.Status != PlanStatus.Approved)
            {
                return Refusal.Conflict("not_approved", "只有已审批的方案可以启用");
            }
            // The version in force until now is superseded by the newly approved one.
            foreach (var older in plan.Versions.Where(v => v.Number < current.Number && v.Status is PlanStatus.Active or PlanStatus.Approved))
            {
                older.Status = PlanStatus.Closed;
                older.Revision++;
            }
            current.Status = PlanStatus.Active;
            return null;
        }, ct);

    /// <summary>
    /// The approver closes a plan in force today: it is in force up to and including today (China's day), its
    /// sessions from tomorrow leave the published timetable. <paramref name="reason"/> is kept as the plan's
    /// <see cref="Plan.ClosedReason"/> (the ledger's 备注); without one it says the approver closed it.
    /// </summary>
    public Task<Result<PlanDto>> CloseAsync(PlanId id, string? ifMatch, CancellationToken ct, string? reason = null) =>
        TransitionAsync(id, ifMatch, Permission.DecidePlans, async (plan, current) =>
        {
            if (current.Status is not (PlanStatus.Active or PlanStatus.Approved))
            {
                return Refusal.Conflict("not_in_force", "只有已审批或执行中的方案可以关闭");
            }
            if (reason is { Length: > MaxClosedReasonLength } || (reason is not null && Validation.HasControlCharacters(reason, allowLineBreaks: false)))
            {
                return Refusal.Invalid("reason", $"关闭原因须为一行，不超过 {MaxClosedReasonLength} 个字");
            }
            var today = Conventions.ChinaDay(clock.GetUtcNow());
            await EndAsync(db, plan, today, string.IsNullOrWhiteSpace(reason) ? ClosedByApprover : reason.Trim(), PlanClosedReason, clock.GetUtcNow(), me.UserName, ct).ConfigureAwait(false);
            return null;
        }, ct);

    /// <summary>What a plan closed by the approver says in its <see cref="Plan.ClosedReason"/> when no reason was given.</summary>
    public const string ClosedByApprover = "审批人关闭";

    public const int MaxClosedReasonLength = 200;

    /// <summary>
    /// A child's leaving the 送教 roster ends the plan as <see cref="EndAsync"/> does; the current version's
    /// revision moves too, so that a decision taken on the page as it was before the exit is refused.
    /// </summary>
    public static async Task EndOnLeavingAsync(AppDbContext db, Plan plan, DateOnly lastDay, string reason, string sessionsReason, DateTimeOffset now, string by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var current = PlanWorkflow.Current(plan);
        await EndAsync(db, plan, lastDay, reason, sessionsReason, now, by, ct).ConfigureAwait(false);
        current.Revision++;
    }

    /// <summary>
    /// Ends a plan after <paramref name="lastDay"/>, the one way a close and a child's leaving the roster share:
    /// every version not yet decided or in force is closed; a plan that was in force keeps its span up to
    /// <paramref name="lastDay"/> (<see cref="Plan.EffectiveUntil"/>); the reason is kept; and the child's
    /// scheduled sessions after that day leave the published timetable in a new version whose calendars are
    /// told (CANCELLED) with <paramref name="sessionsReason"/>. The past stays as it was. The caller saves.
    /// </summary>
    public static async Task EndAsync(AppDbContext db, Plan plan, DateOnly lastDay, string reason, string sessionsReason, DateTimeOffset now, string by, CancellationToken ct)
    {
        var wasInForce = plan.Versions.Any(v => v.Status is PlanStatus.Approved or PlanStatus.Active);
        foreach (var version in plan.Versions.Where(v => v.Status is PlanStatus.Draft or PlanStatus.Submitted or PlanStatus.Approved or PlanStatus.Active))
        {
            version.Status = PlanStatus.Closed;
        }
        if (wasInForce)
        {
            // A plan closed before it took effect has no span (SpanOf: the last day before the first).
            plan.EffectiveUntil = plan.EffectiveUntil is { } earlier && earlier < lastDay ? earlier : lastDay;
        }
        plan.ClosedReason = reason;
        var published = await db.Timetables.Include(t => t.Sessions)
            .Where(t => t.CountyCode == plan.CountyCode && t.TermId == plan.TermId && t.Status == TimetableStatus.Published).ToListAsync(ct).ConfigureAwait(false);
        foreach (var timetable in published.Where(t => t.Sessions.Any(s => s.StudentId == plan.StudentId && s.Date > lastDay && s.Status == SessionStatus.Scheduled)))
        {
            db.Timetables.Add(TimetableVersions.Without(timetable, plan.StudentId, lastDay.AddDays(1), now, sessionsReason, by));
        }
    }

    /// <summary>Why a closed plan's sessions are cancelled, as calendars and the timetable's history say.</summary>
    public const string PlanClosedReason = "送教方案已关闭";

    /// <summary>
    /// At a plan's first approval: it takes effect on the first teaching day of the county's calendar (national
    /// holidays, county-wide closures) on or after the later of today and the version's 开始日期, within the term.
    /// A later approved version never moves it, nor is it set on a plan already in force from before effective
    /// dates (that one runs from the term's first day, and moving it would rewrite its past).
    /// </summary>
    private async Task<Refusal?> TakeEffectAsync(Plan plan, PlanVersion version, CancellationToken ct)
    {
        var term = await TermOfAsync(plan, ct).ConfigureAwait(false);
        if (plan.EffectiveFrom is not null || RecordFacts.SpanOf(plan, term) is not null)
        {
            return null;
        }
        var closures = await db.Closures.AsNoTracking()
            .Where(c => c.CountyCode == plan.CountyCode && c.TownshipCode == null && c.LastDay >= term.FirstDay && c.FirstDay <= term.LastDay)
            .ToListAsync(ct).ConfigureAwait(false);
        var today = Conventions.ChinaDay(clock.GetUtcNow());
        var from = PlanWorkflow.FirstTeachingDay(TermCalendar.Weeks(term, holidays, closures), today, version.StartDate);
        if (from is null)
        {
            return Refusal.Conflict("no_teaching_day_left", version.StartDate is { } start && start > today
                ? $"开始日期（{start:yyyy-MM-dd}）起本学期已没有教学日，方案无法生效；请修改开始日期或为下学期制定方案"
                : $"本学期（至 {term.LastDay:yyyy-MM-dd}）已没有教学日，方案无法生效；请为下学期制定方案");
        }
        plan.EffectiveFrom = from;
        return null;
    }

    private static Task<Refusal?> NothingToCheck() => Task.FromResult<Refusal?>(null);

    private Task<Result<PlanDto>> TransitionAsync(PlanId id, string? ifMatch, Permission needed, Func<Plan, PlanVersion, Refusal?> change, CancellationToken ct) =>
        TransitionAsync(id, ifMatch, needed, NothingToCheck, change, ct);

    private Task<Result<PlanDto>> TransitionAsync(PlanId id, string? ifMatch, Permission needed, Func<Plan, PlanVersion, Task<Refusal?>> change, CancellationToken ct) =>
        TransitionAsync(id, ifMatch, needed, NothingToCheck, change, ct);

    private Task<Result<PlanDto>> TransitionAsync(PlanId id, string? ifMatch, Permission needed, Func<Task<Refusal?>> validate, Func<Plan, PlanVersion, Refusal?> change, CancellationToken ct) =>
        TransitionAsync(id, ifMatch, needed, validate, (plan, current) => Task.FromResult(change(plan, current)), ct);

    /// <summary>
    /// The steps every change shares: the role, the request's own checks (before anything of the plan is read), the plan's scope, a matching If-Match, the change itself,
    /// and a save with the version's revision as a concurrency token, so that of two decisions on one
    /// plan exactly one wins.
    /// </summary>
    private async Task<Result<PlanDto>> TransitionAsync(PlanId id, string? ifMatch, Permission needed, Func<Task<Refusal?>> validate, Func<Plan, PlanVersion, Task<Refusal?>> change, CancellationToken ct)
    {
        if (!me.May(needed))
        {
            return Refusal.NotAllowed();
        }
        if (await validate().ConfigureAwait(false) is { } invalid)
        {
            return invalid;
        }
        var plan = await Visible().SingleOrDefaultAsync(p => p.Id == id, ct).ConfigureAwait(false);
        if (plan is null)
        {
            return Refusal.NotFound();
        }
        if (string.IsNullOrEmpty(ifMatch))
        {
            return Refusal.PreconditionRequired();
        }
        if (ifMatch != PlanWorkflow.ETagOf(plan))
        {
            return Refusal.PreconditionFailed();
        }
        var current = PlanWorkflow.Current(plan);
        if (await change(plan, current).ConfigureAwait(false) is { } refusal)
        {
            return refusal;
        }
        current.Revision++;
        try
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            // A change that took the write lock early (an approval's sequence number) commits here.
            if (db.Database.CurrentTransaction is { } taken)
            {
                await taken.CommitAsync(ct).ConfigureAwait(false);
            }
        }
        catch (DbUpdateException)
        {
            // Another decision or edit committed first (revision or version number already taken).
            return Refusal.PreconditionFailed();
        }
        finally
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
        return ToDto(plan);
    }

    /// <summary>Ends a transaction a change began: rolled back unless committed, its connection given back.</summary>
    private async Task ReleaseAsync()
    {
        if (db.Database.CurrentTransaction is { } transaction)
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<CountyPolicy> PolicyAsync(CancellationToken ct) =>
        await db.Policies.FindAsync([me.CountyCode], ct).ConfigureAwait(false) ?? CountyPolicy.LincangDefault(me.CountyCode);

    private async Task<IReadOnlyList<ApiError>> EligibilityAsync(Plan plan, PlanVersion version, CancellationToken ct)
    {
        var student = await db.Students.AsNoTracking().Include(s => s.Assessments).SingleAsync(s => s.Id == plan.StudentId, ct).ConfigureAwait(false);
        var term = await db.Terms.AsNoTracking().SingleAsync(t => t.Id == plan.TermId, ct).ConfigureAwait(false);
        var startDay = PlanWorkflow.StartDayOf(plan, version, term, Conventions.ChinaDay(clock.GetUtcNow()));
        return PlanWorkflow.Eligibility(student, await PolicyAsync(ct).ConfigureAwait(false), version, startDay);
    }

    private async Task<PlanReview> ReviewOfAsync(Plan plan, CancellationToken ct)
    {
        var term = await TermOfAsync(plan, ct).ConfigureAwait(false);
        return new PlanReview(ToDto(plan), term.Name, await EligibilityAsync(plan, PlanWorkflow.Current(plan), ct).ConfigureAwait(false), RecordFacts.SpanOf(plan, term));
    }

    private static PlanDto ToDto(Plan plan)
    {
        var current = PlanWorkflow.Current(plan);
        return new PlanDto(plan.Id.Value, plan.StudentId.Value, plan.TermId.Value, plan.SchoolId.Value, current.Status, current.Number, PlanWorkflow.ETagOf(plan),
            [.. plan.Versions.OrderBy(v => v.Number).Select(ToDto)], plan.EffectiveFrom, plan.EffectiveUntil);
    }

    private static PlanVersionDto ToDto(PlanVersion v) => new(v.Number, v.Status,
        new PlanContent(v.CoursePlan, v.Content, v.Goals, v.Mode, v.HomeVisitsPerWeek, v.RemoteSessionsPerWeek, v.LessonsPerVisit,
            [.. v.Windows.Select(w => new WindowDto(w.Day, w.From.ToString("HH:mm", CultureInfo.InvariantCulture), w.To.ToString("HH:mm", CultureInfo.InvariantCulture)))],
            v.RequiredSkills, v.TeamSize, v.PreferredStaffIds, v.StartDate, v.MeetingLink),
        v.CreatedBy, v.CreatedAt, v.SubmittedBy, v.SubmittedAt, v.DecidedBy, v.DecidedAt, v.Opinion, v.GradeException, v.ApprovalNo);
}
