using System.Security.Claims;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Timetables;

public sealed record LeaveRequest(DateOnly FirstDay, DateOnly LastDay, string Reason);

public sealed record LeaveResult(Guid LeaveId, ReplanResult Replan);

/// <summary>请假: recording a staff member's leave re-plans the weeks it touches and publishes the result.</summary>
public static class LeaveEndpoints
{
    public const int MaxLeaveDays = 120;

    public static IEndpointRouteBuilder MapLeave(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/staff").WithTags("Staff")
            .MapPost("/{id:guid}/leave", Record).RequireAuthorization(Policies.RecordDisruptions);
        return app;
    }

    public static async Task<Results<Created<LeaveResult>, NotFound, ValidationProblem>> Record(
        Guid id, LeaveRequest request, ClaimsPrincipal user, AppDbContext db, Replanner replanner, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var staff = await db.Staff.AsNoTracking().SingleOrDefaultAsync(s => s.Id == new StaffId(id) && s.CountyCode == caller.CountyCode, ct).ConfigureAwait(false);
        if (staff is null || (caller.Role == Roles.Coordinator && staff.SchoolId != caller.SchoolId))
        {
            return TypedResults.NotFound();
        }
        var errors = Calendar.DateSpanRules.Check(request.FirstDay, request.LastDay, request.Reason, "请假");
        if (request.LastDay.DayNumber - request.FirstDay.DayNumber >= MaxLeaveDays)
        {
            errors["lastDay"] = [$"一次请假不超过 {MaxLeaveDays} 天；更长的请调整方案"];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var leave = new StaffLeave
        {
            CountyCode = caller.CountyCode, StaffId = staff.Id, FirstDay = request.FirstDay, LastDay = request.LastDay,
            Reason = request.Reason.Trim(), CreatedBy = caller.UserName, CreatedAt = clock.GetUtcNow(),
        };
        db.Leave.Add(leave);
        var description = $"{staff.Name}请假（{request.FirstDay:M月d日}–{request.LastDay:M月d日}）";
        var replan = await replanner.ReplanAsync(caller.CountyCode, new Disruption(description, request.FirstDay, request.LastDay, staff.Id, null), ct).ConfigureAwait(false);
        // The leave and the re-planned version are saved together: one transaction, never one without the other.
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return TypedResults.Created($"/api/staff/{id}/leave/{leave.Id}", new LeaveResult(leave.Id, replan));
    }
}
