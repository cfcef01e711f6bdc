using ControlDropout.Web.Infrastructure;
namespace ControlDropout.Web.Features.People;

/// <summary>
/// Masks identifiers of minors in every list and detail by default: a phone keeps its first three and
/// last four digits (139****1234), a certificate or registration number its first six and last four, a name
/// its surname (刘某某).
/// </summary>
[SharedRule]
public static class Masking
{
    public static string Phone(string phone) =>
        phone.Length <= 7 ? new string('*', phone.Length) : phone[..3] + new string('*', phone.Length - 7) + phone[^4..];

    /// <summary>A child's name where the record names a child without showing who (the audit trail, the approver's tables): 刘某某.</summary>
    public static string Name(string name) =>
        string.IsNullOrEmpty(name) || name.Length == 1 ? name : name[..1] + new string('某', Math.Min(2, name.Length - 1));

    public static string Identifier(string value) =>
        value.Length <= 10 ? new string('*', value.Length) : value[..6] + new string('*', value.Length - 10) + value[^4..];
}
