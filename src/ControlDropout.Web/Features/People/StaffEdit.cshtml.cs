using System.Globalization;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Plans;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.People;

/// <summary>
/// 登记人员 and its correction: name, department, school, phone (masked, kept when posted back unchanged),
/// skills, the days and hours available, the weekly limit and remote teaching. A staff member of a school
/// is based at the school; one of no school keeps the base they have (or the county's first township).
/// </summary>
[Authorize(Policy = nameof(Permission.Enrol))]
public sealed class StaffEditModel(Enrolment enrolment, PeopleDirectory people, CurrentUser me) : PageModel
{
    /// <summary>The skills a staff member may be registered with (as plans ask for them), with the county's own added.</summary>
    public static readonly string[] KnownSkills = ["special-education", "rehabilitation", "speech-therapy", "medical", "psychology", "sign-language", "braille"];

    /// <summary>A weekday of the availability: ticked, from, to.</summary>
    public sealed class DayForm
    {
        public bool On { get; set; }
        public string From { get; set; } = "08:30";
        public string To { get; set; } = "17:00";
    }

    public sealed class StaffForm
    {
        public string? Name { get; set; }
        public Department Department { get; set; } = Department.Education;
        public Guid? SchoolId { get; set; }
        public string? Phone { get; set; }
        public List<string> Skills { get; set; } = [];
        public List<DayForm> Days { get; set; } = [.. Enumerable.Range(1, 7).Select(d => new DayForm { On = d <= 5 })];
        public int MaxSessionsPerWeek { get; set; } = 8;
        public string? MaxAwayMinutesPerDay { get; set; }
        public string? MaxTravelMinutesPerDay { get; set; }
        public bool CanTeachRemotely { get; set; }
    }

    [FromRoute]
    public Guid? Id { get; set; }

    [BindProperty]
    public StaffForm Form { get; set; } = new();

    public List<SchoolDto> Schools { get; } = [];
    public List<string> Skills { get; } = [];
    /// <summary>Only the bureau adds staff of no school (the county's health and 残联 workers).</summary>
    public bool MayChooseNoSchool => !me.IsCoordinator;

    private readonly List<(SchoolDto School, double Lat, double Lon)> _places = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Id is { } id)
        {
            var stored = await people.StoredStaffAsync(new StaffId(id), ct).ConfigureAwait(false);
            if (Refused(stored.Refusal) is { } refused)
            {
                return refused;
            }
            var s = stored.Value;
            Form = new StaffForm
            {
                Name = s.Name, Department = s.Department, SchoolId = s.SchoolId, Phone = Masking.Phone(s.Phone ?? ""), Skills = [.. s.Skills ?? []],
                Days = [.. Enumerable.Range(1, 7).Select(d => (s.Availability ?? []).FirstOrDefault(w => w.Day == d) is { } w
                    ? new DayForm { On = true, From = w.From, To = w.To } : new DayForm { On = false })],
                MaxSessionsPerWeek = s.MaxSessionsPerWeek, MaxAwayMinutesPerDay = s.MaxAwayMinutesPerDay?.ToString(CultureInfo.InvariantCulture),
                MaxTravelMinutesPerDay = s.MaxTravelMinutesPerDay?.ToString(CultureInfo.InvariantCulture),
                CanTeachRemotely = s.CanTeachRemotely,
            };
        }
        else
        {
            Form.SchoolId = me.SchoolId?.Value;
            Form.Skills = ["special-education"];
        }
        await LoadChoicesAsync(ct).ConfigureAwait(false);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        StaffRequest? stored = null;
        if (Id is { } id)
        {
            var found = await people.StoredStaffAsync(new StaffId(id), ct).ConfigureAwait(false);
            if (Refused(found.Refusal) is { } refused)
            {
                return refused;
            }
            stored = found.Value;
        }
        await LoadChoicesAsync(ct).ConfigureAwait(false);
        Form.Days = [.. Enumerable.Range(0, 7).Select(i => i < Form.Days.Count && Form.Days[i] is { } day ? day : new DayForm { On = false })];
        var maxAway = Minutes(Form.MaxAwayMinutesPerDay, "Form.MaxAwayMinutesPerDay", "每日外出时长上限须为分钟数，如 240");
        var maxTravel = Minutes(Form.MaxTravelMinutesPerDay, "Form.MaxTravelMinutesPerDay", "每日驾车上限须为分钟数，如 180");
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var windows = Enumerable.Range(1, 7).Where(d => Form.Days[d - 1].On).Select(d => new WindowDto(d, Form.Days[d - 1].From, Form.Days[d - 1].To)).ToList();
        var school = _places.FirstOrDefault(p => p.School.Id == Form.SchoolId);
        var (baseName, lat, lon) = school.School is { } s
            ? (s.Name, school.Lat, school.Lon)
            : stored is not null ? (stored.BaseName, stored.BaseLat, stored.BaseLon) : ("县教体局", 0d, 0d);
        var request = new StaffRequest(Form.Name ?? "", Form.Department, Form.SchoolId, Form.Skills, baseName, lat, lon, windows, Form.MaxSessionsPerWeek, maxAway,
            Form.CanTeachRemotely, ChildEditModel.Kept(Form.Phone, stored?.Phone, Masking.Phone), maxTravel);
        var result = stored is null
            ? await enrolment.CreateStaffAsync(request, ct).ConfigureAwait(false)
            : await enrolment.UpdateStaffAsync(new StaffId(Id!.Value), request, ct).ConfigureAwait(false);
        if (result.Refusal is { Status: StatusCodes.Status403Forbidden })
        {
            return Forbid();
        }
        if (result.Refusal is { Status: StatusCodes.Status404NotFound } && stored is not null)
        {
            return NotFound();
        }
        if (result.Refused(ModelState, Field))
        {
            return Page();
        }
        TempData["Done"] = stored is null ? $"已登记人员：{result.Value.Name}" : $"已保存：{result.Value.Name}";
        return Redirect($"/staff/{result.Value.Id}");
    }

    /// <summary>An optional number of minutes as typed: empty is none; anything but digits is an error beside its field.</summary>
    private int? Minutes(string? typed, string field, string message)
    {
        if (string.IsNullOrWhiteSpace(typed))
        {
            return null;
        }
        if (int.TryParse(typed.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes))
        {
            return minutes;
        }
        ModelState.AddModelError(field, message);
        return null;
    }

    /// <summary>The API's field (<c>availability[2]</c>, <c>availability.day3</c>, <c>skills[0]</c>) as the form's input.</summary>
    private string Field(string key)
    {
        if (key.StartsWith("availability", StringComparison.Ordinal))
        {
            var digits = new string([.. key.SkipWhile(c => !char.IsAsciiDigit(c)).TakeWhile(char.IsAsciiDigit)]);
            if (int.TryParse(digits, CultureInfo.InvariantCulture, out var n))
            {
                // availability[i] counts the ticked days; availability.dayN names the weekday.
                var day = key.Contains(".day", StringComparison.Ordinal) ? n : Enumerable.Range(1, 7).Where(d => Form.Days[d - 1].On).ElementAtOrDefault(n);
                return day is >= 1 and <= 7 ? $"Form.Days[{day - 1}]" : "Form.Days";
            }
            return "Form.Days";
        }
        var bracket = key.IndexOf('[', StringComparison.Ordinal);
        return ChildEditModel.Field(bracket > 0 ? key[..bracket] : key);
    }

    private IActionResult? Refused(Refusal? refusal) => refusal?.Status switch
    {
        StatusCodes.Status403Forbidden => Forbid(),
        StatusCodes.Status404NotFound => NotFound(),
        _ => null,
    };

    private async Task LoadChoicesAsync(CancellationToken ct)
    {
        _places.AddRange((await people.SchoolPlacesAsync(ct).ConfigureAwait(false)).Where(p => me.ActsFor(new SchoolId(p.School.Id))));
        Schools.AddRange(_places.Select(p => p.School));
        var staff = await people.ListStaffAsync(ct).ConfigureAwait(false);
        Skills.AddRange(KnownSkills.Union(staff.Succeeded ? staff.Value.SelectMany(s => s.Skills) : []).Union(Form.Skills).Distinct(StringComparer.Ordinal));
    }
}
