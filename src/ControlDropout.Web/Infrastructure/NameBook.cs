using ControlDropout.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Infrastructure;

/// <summary>
/// The names pages put beside ids (children, staff, schools, townships, villages), read once per
/// request and only from the caller's county.
/// </summary>
public sealed class NameBook(AppDbContext db)
{
    public IReadOnlyDictionary<Guid, string> Students { get; private set; } = new Dictionary<Guid, string>();
    public IReadOnlyDictionary<Guid, string> Staff { get; private set; } = new Dictionary<Guid, string>();
    public IReadOnlyDictionary<Guid, string> Schools { get; private set; } = new Dictionary<Guid, string>();
    public IReadOnlyDictionary<string, string> Townships { get; private set; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Villages { get; private set; } = new Dictionary<string, string>();

    public async Task<NameBook> LoadAsync(string countyCode, CancellationToken ct)
    {
        Students = await db.Students.AsNoTracking().Where(s => s.CountyCode == countyCode).ToDictionaryAsync(s => s.Id.Value, s => s.Name, ct).ConfigureAwait(false);
        Staff = await db.Staff.AsNoTracking().Where(s => s.CountyCode == countyCode).ToDictionaryAsync(s => s.Id.Value, s => s.Name, ct).ConfigureAwait(false);
        Schools = await db.Schools.AsNoTracking().Where(s => s.CountyCode == countyCode).ToDictionaryAsync(s => s.Id.Value, s => s.Name, ct).ConfigureAwait(false);
        Townships = await db.Townships.AsNoTracking().Where(t => t.CountyCode == countyCode).ToDictionaryAsync(t => t.Code, t => t.Name, ct).ConfigureAwait(false);
        var townships = Townships.Keys.ToList();
        Villages = await db.Villages.AsNoTracking().Where(v => townships.Contains(v.TownshipCode)).ToDictionaryAsync(v => v.Code, v => v.Name, ct).ConfigureAwait(false);
        return this;
    }

    public string Student(Guid id) => Students.GetValueOrDefault(id, "（未知学生）");

    public string StaffMember(Guid id) => Staff.GetValueOrDefault(id, "（未知人员）");

    public string School(Guid id) => Schools.GetValueOrDefault(id, "（未知学校）");

    public string Township(string code) => Townships.GetValueOrDefault(code, code);

    /// <summary>A village code's name with its township, e.g. 博尚镇 勐准村.</summary>
    public string Village(string code)
    {
        var village = Villages.GetValueOrDefault(code);
        var township = code.Length >= 9 ? Townships.GetValueOrDefault(code[..9]) : null;
        return string.Join(" ", new[] { township, village }.Where(x => !string.IsNullOrEmpty(x))) is { Length: > 0 } name ? name : code;
    }
}
