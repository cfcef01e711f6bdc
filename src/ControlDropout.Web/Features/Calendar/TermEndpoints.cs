using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Calendar;

public sealed record TermDto(Guid Id, string Name, DateOnly FirstDay, DateOnly LastDay, IReadOnlyList<int> TeachingWeekdays)
{
    public static TermDto From(Term t) => new(t.Id.Value, t.Name, t.FirstDay, t.LastDay, t.TeachingWeekdays);
}

public sealed record CreateTermRequest(string Name, DateOnly FirstDay, DateOnly LastDay, IReadOnlyList<int>? TeachingWeekdays);

public sealed record CalendarDto(Guid TermId, string? TownshipCode, IReadOnlyList<CalendarWeekDto> Weeks, IReadOnlyList<string> Warnings);

public sealed record CalendarWeekDto(string Week, DateOnly Monday, int TeachingDays, bool Exempt, bool Unconfirmed, IReadOnlyList<CalendarDay> Days);

/// <summary>学期 and 校历: terms and their teaching weeks (closures are in the Disruptions feature, under the same prefix).</summary>
public static class TermEndpoints
{
    public static IEndpointRouteBuilder MapTerms(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/terms").WithTags("Terms");
        group.MapGet("/", async (TermBook terms, CancellationToken ct) => (await terms.ListAsync(ct).ConfigureAwait(false)).ToOk());
        group.MapPost("/", async (CreateTermRequest request, TermBook terms, CancellationToken ct) =>
                (await terms.CreateAsync(request, ct).ConfigureAwait(false)).ToCreated(t => $"/api/terms/{t.Id}"))
            .RequireAuthorization(p => p.RequireRole(Permissions.RolesWith(Permission.ManageCounty)));
        group.MapGet("/{id:guid}/calendar", async (Guid id, string? township, TermBook terms, CancellationToken ct) =>
            (await terms.CalendarAsync(new TermId(id), township, ct).ConfigureAwait(false)).ToOk());
        return app;
    }
}
