using System.Globalization;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.People;

/// <summary>
/// 登记学生 and 修改学生信息: the child's record with up to three guardians, saved through <see cref="Enrolment"/>
/// like the API. Identity numbers and phones are shown masked; one posted back still masked keeps the
/// stored value (<see cref="Kept"/>), and only a newly typed value replaces it.
/// </summary>
[Authorize(Policy = nameof(Permission.Enrol))]
public sealed class ChildEditModel(Enrolment enrolment, PeopleDirectory people, CurrentUser me) : PageModel
{
    public const int GuardianRows = 3;

    public sealed class GuardianForm
    {
        public string? Name { get; set; }
        public string? Relation { get; set; }
        public string? Phone { get; set; }
    }

    public sealed class ChildForm
    {
        public string? Name { get; set; }
        public string? Gender { get; set; }
        public string? Ethnicity { get; set; }
        public string? BirthDate { get; set; }
        public string? IdCardNo { get; set; }
        public string? NationalStudentNo { get; set; }
        public DisabilityCategory DisabilityCategory { get; set; } = DisabilityCategory.Intellectual;
        public int DisabilityGrade { get; set; } = 2;
        public string? DisabilityCertificateNo { get; set; }
        public string? DisabilityRegisteredOn { get; set; }
        public Guid SchoolOfRecordId { get; set; }
        public string? VillageCode { get; set; }
        /// <summary>住址坐标, optional: empty means the village's (else the township's).</summary>
        public string? HomeLat { get; set; }
        public string? HomeLon { get; set; }
        public List<GuardianForm> Guardians { get; set; } = [];
    }

    [FromRoute]
    public Guid? Id { get; set; }

    [BindProperty]
    public ChildForm Form { get; set; } = new();

    public List<SchoolDto> Schools { get; } = [];
    public List<(string Township, List<VillageDto> Villages)> Places { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Id is { } id)
        {
            var stored = await people.StoredStudentAsync(new StudentId(id), ct).ConfigureAwait(false);
            if (Answer(stored.Refusal) is { } refused)
            {
                return refused;
            }
            await LoadChoicesAsync(ct).ConfigureAwait(false);
            Form = Masked(stored.Value);
        }
        else
        {
            await LoadChoicesAsync(ct).ConfigureAwait(false);
            Form.SchoolOfRecordId = me.SchoolId?.Value ?? Schools.FirstOrDefault()?.Id ?? Guid.Empty;
        }
        PadGuardians();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        StudentRequest? stored = null;
        if (Id is { } id)
        {
            var found = await people.StoredStudentAsync(new StudentId(id), ct).ConfigureAwait(false);
            if (Answer(found.Refusal) is { } refused)
            {
                return refused;
            }
            stored = found.Value;
        }
        await LoadChoicesAsync(ct).ConfigureAwait(false);
        var request = ToRequest(stored);
        if (ModelState.IsValid)
        {
            var result = stored is null
                ? await enrolment.CreateStudentAsync(request!, ct).ConfigureAwait(false)
                : await enrolment.UpdateStudentAsync(new StudentId(Id!.Value), request!, ct).ConfigureAwait(false);
            if (result.Refusal is { Status: StatusCodes.Status404NotFound } && stored is not null)
            {
                return NotFound();
            }
            if (Answer(result.Refusal) is ForbidResult forbid)
            {
                return forbid;
            }
            if (!result.Refused(ModelState, Field))
            {
                TempData["Done"] = stored is null ? $"已登记学生：{result.Value.Name}" : $"已保存：{result.Value.Name}";
                return Redirect($"/children/{result.Value.Id}");
            }
        }
        PadGuardians();
        return Page();
    }

    /// <summary>A field of the API's request (<c>guardians[1].phone</c>) as the form's input (<c>Form.Guardians[1].Phone</c>).</summary>
    internal static string Field(string key)
    {
        if (key.Length == 0)
        {
            return "";
        }
        var parts = key.Split('.');
        return "Form." + string.Join('.', parts.Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }

    private IActionResult? Answer(Refusal? refusal) => refusal?.Status switch
    {
        null => null,
        StatusCodes.Status403Forbidden => Forbid(),
        StatusCodes.Status404NotFound => NotFound(),
        _ => null,
    };

    /// <summary>What was posted as the use case's request: masked text left as it was keeps the stored value.</summary>
    private StudentRequest? ToRequest(StudentRequest? stored)
    {
        var f = Form;
        var birth = Date(f.BirthDate, "Form.BirthDate", "出生日期", required: true);
        var registered = Date(f.DisabilityRegisteredOn, "Form.DisabilityRegisteredOn", "残疾人证发证日期", required: false);
        var village = Places.SelectMany(p => p.Villages).FirstOrDefault(v => v.Code == f.VillageCode);
        if (village is null)
        {
            ModelState.AddModelError("Form.VillageCode", "请选择住址所在的村/社区");
        }
        var (lat, lon) = (Number(f.HomeLat, "Form.HomeLat"), Number(f.HomeLon, "Form.HomeLon"));
        if (lat is null != lon is null)
        {
            ModelState.AddModelError("Form.HomeLat", "坐标须同时填写纬度和经度，或都不填");
        }
        var guardians = new List<GuardianDto>();
        for (var i = 0; i < Math.Min(f.Guardians.Count, GuardianRows); i++)
        {
            var g = f.Guardians[i] ?? new GuardianForm();
            if (string.IsNullOrWhiteSpace(g.Name) && string.IsNullOrWhiteSpace(g.Relation) && string.IsNullOrWhiteSpace(g.Phone))
            {
                continue;
            }
            var storedPhone = Kept(g.Phone?.Trim(), stored?.Guardians ?? [], i);
            guardians.Add(new GuardianDto(g.Name ?? "", g.Relation ?? "", storedPhone));
        }
        if (!ModelState.IsValid)
        {
            return null;
        }
        var township = village!.TownshipCode;
        var (homeLat, homeLon) = lat is { } la && lon is { } lo
            ? (la, lo)
            : (village.Lat ?? TownshipLat(township), village.Lon ?? TownshipLon(township));
        return new StudentRequest(f.Name ?? "", f.Gender ?? "", f.Ethnicity, birth!.Value, f.DisabilityCategory, f.DisabilityGrade,
            Kept(f.DisabilityCertificateNo, stored?.DisabilityCertificateNo, Masking.Identifier),
            Kept(f.NationalStudentNo, stored?.NationalStudentNo, Masking.Identifier),
            f.SchoolOfRecordId, village.Code, homeLat, homeLon, guardians,
            Kept(f.IdCardNo, stored?.IdCardNo, Masking.Identifier), registered);
    }

    /// <summary>The stored value when the posted text is still its mask; else what was typed.</summary>
    internal static string? Kept(string? posted, string? stored, Func<string, string> mask) =>
        stored is { Length: > 0 } && posted?.Trim() == mask(stored) ? stored : posted?.Trim();

    /// <summary>A guardian's phone: the stored one whose mask was posted back (the same row first), else what was typed.</summary>
    private static string Kept(string? posted, IReadOnlyList<GuardianDto> stored, int row)
    {
        var text = posted?.Trim() ?? "";
        if (row < stored.Count && stored[row].Phone.Length > 0 && Masking.Phone(stored[row].Phone) == text)
        {
            return stored[row].Phone;
        }
        return stored.FirstOrDefault(s => s.Phone.Length > 0 && Masking.Phone(s.Phone) == text)?.Phone ?? text;
    }

    private DateOnly? Date(string? text, string field, string label, bool required)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                ModelState.AddModelError(field, $"请填写{label}");
            }
            return null;
        }
        if (FormFields.Date(text.Trim()) is { } date)
        {
            return date;
        }
        ModelState.AddModelError(field, $"{label}不是有效日期，请用 yyyy-MM-dd");
        return null;
    }

    private double? Number(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        ModelState.AddModelError(field, "坐标须为数字，如 23.88");
        return null;
    }

    private readonly Dictionary<string, TownshipDto> _townships = new(StringComparer.Ordinal);

    private double TownshipLat(string code) => _townships.GetValueOrDefault(code)?.Lat ?? 0;

    private double TownshipLon(string code) => _townships.GetValueOrDefault(code)?.Lon ?? 0;

    private async Task LoadChoicesAsync(CancellationToken ct)
    {
        var schools = (await people.SchoolsAsync(ct).ConfigureAwait(false)).Value;
        Schools.AddRange(schools.Where(s => me.ActsFor(new SchoolId(s.Id))));
        foreach (var t in (await people.TownshipsAsync(ct).ConfigureAwait(false)).Value)
        {
            _townships[t.Code] = t;
        }
        var villages = (await people.VillagesAsync(ct).ConfigureAwait(false)).Value;
        Places.AddRange(villages.GroupBy(v => v.TownshipCode).Select(g => (_townships.TryGetValue(g.Key, out var t) ? t.Name : g.Key, g.ToList())));
    }

    /// <summary>The stored record as the form shows it: numbers and phones masked, coordinates only when they are not the village's own.</summary>
    private ChildForm Masked(StudentRequest s)
    {
        var village = Places.SelectMany(p => p.Villages).FirstOrDefault(v => v.Code == s.VillageCode);
        var derived = village is null ? (double?)null : village.Lat ?? TownshipLat(village.TownshipCode);
        var derivedLon = village is null ? (double?)null : village.Lon ?? TownshipLon(village.TownshipCode);
        var own = derived != s.HomeLat || derivedLon != s.HomeLon;
        return new ChildForm
        {
            Name = s.Name, Gender = s.Gender, Ethnicity = s.Ethnicity, BirthDate = FormFields.Date(s.BirthDate),
            IdCardNo = Masking.Identifier(s.IdCardNo ?? ""), NationalStudentNo = Masking.Identifier(s.NationalStudentNo ?? ""),
            DisabilityCategory = s.DisabilityCategory, DisabilityGrade = s.DisabilityGrade,
            DisabilityCertificateNo = Masking.Identifier(s.DisabilityCertificateNo ?? ""),
            DisabilityRegisteredOn = s.DisabilityRegisteredOn is { } d ? FormFields.Date(d) : null,
            SchoolOfRecordId = s.SchoolOfRecordId, VillageCode = s.VillageCode,
            HomeLat = own ? s.HomeLat.ToString(CultureInfo.InvariantCulture) : null, HomeLon = own ? s.HomeLon.ToString(CultureInfo.InvariantCulture) : null,
            Guardians = [.. (s.Guardians ?? []).Select(g => new GuardianForm { Name = g.Name, Relation = g.Relation, Phone = Masking.Phone(g.Phone) })],
        };
    }

    private void PadGuardians()
    {
        while (Form.Guardians.Count < GuardianRows)
        {
            Form.Guardians.Add(new GuardianForm());
        }
        if (Form.Guardians.Count > GuardianRows)
        {
            Form.Guardians = [.. Form.Guardians.Take(GuardianRows)];
        }
    }
}
