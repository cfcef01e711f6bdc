using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.People;

/// <summary>A school (学校) as the bureau adds or renames it: its name, kind and township.</summary>
public sealed record SchoolRequest(string Name, SchoolKind Kind, string TownshipCode);

/// <summary>A name, one of the three kinds, a township code.</summary>
public sealed class SchoolRequestValidator : AbstractValidator<SchoolRequest>
{
    public static readonly SchoolRequestValidator Instance = new();

    public SchoolRequestValidator()
    {
        RuleFor(r => r.Name).Name("学校名称");
        RuleFor(r => r.Kind).Defined("学校类型");
        RuleFor(r => r.TownshipCode).Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage("请选择学校所在乡镇").ShortText("乡镇代码", 20);
    }
}

/// <summary>
/// 学校: the county's schools of record, special schools and resource centres. The bureau (admin and approver)
/// adds and renames them; a school sits at its township's coordinates (else the county's first located township),
/// which is where the travel model starts its staff.
/// </summary>
public sealed class Schools(AppDbContext db, CurrentUser me)
{
    public Task<Result<SchoolDto>> CreateAsync(SchoolRequest request, CancellationToken ct) => SaveAsync(null, request, ct);

    public Task<Result<SchoolDto>> UpdateAsync(SchoolId id, SchoolRequest request, CancellationToken ct) => SaveAsync(id, request, ct);

    /// <summary>A new school (<paramref name="id"/> null) or the whole of an existing one: role, then scope, then the rules.</summary>
    private async Task<Result<SchoolDto>> SaveAsync(SchoolId? id, SchoolRequest request, CancellationToken ct)
    {
        if (!me.May(Permission.ManageCounty))
        {
            return Refusal.NotAllowed();
        }
        School? school = null;
        if (id is { } existing)
        {
            school = await db.Schools.SingleOrDefaultAsync(s => s.Id == existing && s.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
            if (school is null)
            {
                return Refusal.NotFound();
            }
        }
        if (Validation.Check(SchoolRequestValidator.Instance, request) is { } invalid)
        {
            return invalid;
        }
        var place = await PlaceAsync(request.TownshipCode.Trim(), ct).ConfigureAwait(false);
        if (!place.Succeeded)
        {
            return place.Refusal!;
        }
        var name = request.Name.Trim();
        if (await NameTakenAsync(name, id, ct).ConfigureAwait(false))
        {
            return Duplicate(name);
        }
        var (township, lat, lon) = place.Value;
        if (school is null)
        {
            school = new School { Id = SchoolId.New(), CountyCode = me.CountyCode, Name = name, Kind = request.Kind, TownshipCode = township, Lat = lat, Lon = lon };
            db.Schools.Add(school);
        }
        (school.TownshipCode, school.Lat, school.Lon, school.Name, school.Kind) = (township, lat, lon, name, request.Kind);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return Dto(school);
    }

    private static SchoolDto Dto(School s) => new(s.Id.Value, s.Name, s.Kind, s.TownshipCode);

    private static Refusal Duplicate(string name) => Refusal.Conflict("duplicate_school", $"本县已有名为“{name}”的学校", "name");

    private async Task<bool> NameTakenAsync(string name, SchoolId? except, CancellationToken ct)
    {
        var same = await db.Schools.AsNoTracking().Where(s => s.CountyCode == me.CountyCode && s.Name == name).Select(s => s.Id).ToListAsync(ct).ConfigureAwait(false);
        return same.Any(s => s != except);
    }

    /// <summary>The township of the county and where the school sits: the township's point, else the county's first located township.</summary>
    private async Task<Result<(string Township, double Lat, double Lon)>> PlaceAsync(string code, CancellationToken ct)
    {
        var towns = await db.Townships.AsNoTracking().Where(t => t.CountyCode == me.CountyCode).OrderBy(t => t.Code).ToListAsync(ct).ConfigureAwait(false);
        if (towns.SingleOrDefault(t => t.Code == code) is not { } town)
        {
            return Refusal.Invalid("townshipCode", "所选乡镇不在本县");
        }
        if (town is { Lat: { } lat, Lon: { } lon })
        {
            return (town.Code, lat, lon);
        }
        if (towns.FirstOrDefault(t => t.Lat is not null && t.Lon is not null) is { Lat: { } lat2, Lon: { } lon2 })
        {
            return (town.Code, lat2, lon2);
        }
        return Refusal.Invalid("townshipCode", "本县的乡镇都没有坐标，无法确定学校位置；请先补充乡镇坐标");
    }
}

/// <summary>The kinds' Chinese names, for the pages.</summary>
public static class SchoolKinds
{
    public static string Of(SchoolKind kind) => kind switch
    {
        SchoolKind.Regular => "普通学校",
        SchoolKind.Special => "特殊教育学校",
        SchoolKind.ResourceCentre => "特殊教育资源中心",
        _ => kind.ToString(),
    };
}

/// <summary><c>POST /api/schools</c> and <c>PUT /api/schools/{id}</c> (the list is in <see cref="PeopleEndpoints"/>).</summary>
public static class SchoolEndpoints
{
    public static IEndpointRouteBuilder MapSchools(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/schools").WithTags("Schools").RequireAuthorization(p => p.RequireRole(Permissions.RolesWith(Permission.ManageCounty)));
        group.MapPost("/", async (SchoolRequest request, Schools schools, CancellationToken ct) =>
            (await schools.CreateAsync(request, ct).ConfigureAwait(false)).ToCreated(s => $"/api/schools/{s.Id}"));
        group.MapPut("/{id:guid}", async (Guid id, SchoolRequest request, Schools schools, CancellationToken ct) =>
            (await schools.UpdateAsync(new SchoolId(id), request, ct).ConfigureAwait(false)).ToOk());
        return app;
    }
}
