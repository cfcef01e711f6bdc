using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Feeds;
using ControlDropout.Web.Features.Timetables;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Disruptions;

public sealed record LeaveRequest(DateOnly FirstDay, DateOnly LastDay, string Reason);

public sealed record LeaveResult(Guid LeaveId, ReplanResult Replan);

public sealed record ClosureRequest(string? TownshipCode, DateOnly FirstDay, DateOnly LastDay, string Reason);

public sealed record ClosureDto(Guid Id, string? TownshipCode, DateOnly FirstDay, DateOnly LastDay, string Reason, string CreatedBy)
{
    public static ClosureDto From(Closure c) => new(c.Id, c.TownshipCode, c.FirstDay, c.LastDay, c.Reason, c.CreatedBy);
}

public sealed record ClosureResult(ClosureDto Closure, ReplanResult Replan);

/// <summary>
/// 请假 and 停课: what takes sessions away. Recording either re-plans the weeks it touches and
/// publishes the result in the same transaction, so there is never one without the other.
/// </summary>
public sealed class LeaveAndClosures(AppDbContext db, CurrentUser me, Replanner replanner, TimeProvider clock, StoredFeeds feeds)
{
    public const int MaxLeaveDays = 120;

    /// <summary>A closure longer than a term is not a closure.</summary>
    public const int MaxClosureDays = 200;

    private static readonly DateSpanRules<LeaveRequest> LeaveRules = new(r => r.FirstDay, r => r.LastDay, r => r.Reason, "请假", MaxLeaveDays);

    private static readonly DateSpanRules<ClosureRequest> ClosureRules = new(r => r.FirstDay, r => r.LastDay, r => r.Reason, "停课", MaxClosureDays);

    /// <summary>A staff member's leave: the county's bureau for anyone, a coordinator only for staff of their school.</summary>
    public async Task<Result<LeaveResult>> RecordLeaveAsync(StaffId staffId, LeaveRequest request, CancellationToken ct)
    {
        if (!me.May(Permission.RecordLeave))
        {
            return Refusal.NotAllowed();
        }
        var staff = await db.Staff.AsNoTracking().SingleOrDefaultAsync(s => s.Id == staffId && s.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
        if (staff is null || !ActsFor(staff))
        {
            return Refusal.NotFound();
        }
        if (Validation.Check(LeaveRules, request) is { } invalid)
        {
            return invalid;
        }
        // Leave is planned against a term: a span no term of the county covers is a typing error.
        if (!await db.Terms.AnyAsync(t => t.CountyCode == me.CountyCode && t.FirstDay <= request.FirstDay && request.LastDay <= t.LastDay, ct).ConfigureAwait(false))
        {
            return Refusal.Invalid("firstDay", "请假日期不在本县任何学期之内");
        }
        var leave = new StaffLeave
        {
            CountyCode = me.CountyCode, StaffId = staff.Id, FirstDay = request.FirstDay, LastDay = request.LastDay,
            Reason = request.Reason.Trim(), CreatedBy = me.UserName, CreatedAt = clock.GetUtcNow(),
        };
        db.Leave.Add(leave);
        var description = $"{staff.Name}请假（{request.FirstDay:M月d日}–{request.LastDay:M月d日}）";
        var replan = await replanner.ReplanAsync(me.CountyCode, new Disruption(description, request.FirstDay, request.LastDay, staff.Id, null), ct).ConfigureAwait(false);
        await feeds.SaveForCountyAsync(me.CountyCode, ct).ConfigureAwait(false);
        return new LeaveResult(leave.Id, await VisibleAsync(replan, ct).ConfigureAwait(false));
    }

    /// <summary>A coordinator acts only for staff of their own school (staff of no school belong to the bureau).</summary>
    public bool ActsFor(Staff staff) => !me.IsCoordinator || (staff.SchoolId is { } school && me.ActsFor(school));

    /// <summary>The closures of a term; every county role reads them (they name no child).</summary>
    public async Task<Result<List<ClosureDto>>> ClosuresAsync(TermId termId, CancellationToken ct)
    {
        var term = await db.Terms.AsNoTracking().SingleOrDefaultAsync(t => t.Id == termId && t.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
        if (term is null)
        {
            return Refusal.NotFound();
        }
        var closures = await db.Closures.AsNoTracking()
            .Where(c => c.CountyCode == me.CountyCode && c.LastDay >= term.FirstDay && c.FirstDay <= term.LastDay)
            .OrderBy(c => c.FirstDay).ToListAsync(ct).ConfigureAwait(false);
        return closures.Select(ClosureDto.From).ToList();
    }

    /// <summary>A closure of the whole county or one township: it changes every school's calendar there, so only the bureau records it.</summary>
    public async Task<Result<ClosureResult>> AddClosureAsync(TermId termId, ClosureRequest request, CancellationToken ct)
    {
        if (!me.May(Permission.RecordClosures))
        {
            return Refusal.NotAllowed();
        }
        var term = await db.Terms.AsNoTracking().SingleOrDefaultAsync(t => t.Id == termId && t.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
        if (term is null)
        {
            return Refusal.NotFound();
        }
        if (Validation.Check(ClosureRules, request) is { } invalid)
        {
            return invalid;
        }
        var errors = new List<ApiError>();
        if (request.FirstDay < term.FirstDay || request.LastDay > term.LastDay)
        {
            errors.Add(new ApiError("firstDay", $"停课日期须在本学期之内（{term.FirstDay:yyyy-MM-dd}–{term.LastDay:yyyy-MM-dd}）"));
        }
        // A code with a control character names no township; PostgreSQL would refuse U+0000 even as a query's parameter.
        if (request.TownshipCode is { } township && (township.Any(char.IsControl) || !await db.Townships.AnyAsync(t => t.Code == township && t.CountyCode == me.CountyCode, ct).ConfigureAwait(false)))
        {
            errors.Add(new ApiError("townshipCode", $"本县没有乡镇代码 {township}"));
        }
        if (errors.Count > 0)
        {
            return Refusal.Invalid(errors);
        }
        var closure = new Closure
        {
            CountyCode = me.CountyCode, TownshipCode = request.TownshipCode, FirstDay = request.FirstDay, LastDay = request.LastDay,
            Reason = request.Reason.Trim(), CreatedBy = me.UserName, CreatedAt = clock.GetUtcNow(),
        };
        db.Closures.Add(closure);
        var replan = await replanner.ReplanAsync(me.CountyCode,
            new Disruption($"停课：{closure.Reason}（{closure.FirstDay:M月d日}–{closure.LastDay:M月d日}）", closure.FirstDay, closure.LastDay, null, closure), ct).ConfigureAwait(false);
        await feeds.SaveForCountyAsync(me.CountyCode, ct).ConfigureAwait(false);
        return new ClosureResult(ClosureDto.From(closure), replan);
    }

    /// <summary>What a re-plan tells the caller: a coordinator hears only about their school's children, as with every list of sessions.</summary>
    private async Task<ReplanResult> VisibleAsync(ReplanResult replan, CancellationToken ct)
    {
        if (!me.IsCoordinator)
        {
            return replan;
        }
        var school = me.SchoolId ?? default;
        var ours = (await db.Students.AsNoTracking().Where(s => s.CountyCode == me.CountyCode && s.SchoolOfRecordId == school)
            .Select(s => s.Id).ToListAsync(ct).ConfigureAwait(false)).Select(s => s.Value).ToHashSet();
        return replan with
        {
            Moved = [.. replan.Moved.Where(m => ours.Contains(m.StudentId))],
            Uncovered = [.. replan.Uncovered.Where(u => ours.Contains(u.StudentId))],
        };
    }
}
