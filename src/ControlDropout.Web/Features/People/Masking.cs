using ControlDropout.Web.Infrastructure;
namespace ControlDropout.Web.Features.People;

/// <summary>
/// Masks identifiers of minors in every list and detail by default: a phone keeps its first three and
/// last four digits (139****1234), a certificate or registration number its first six and last four.
/// </summary>
[SharedRule]
public static class Masking
{
    public static string Phone(string phone) =>
        phone.Length <= 7 ? new string('*', phone.Length) : phone[..3] + new string('*', phone.Length - 7) + phone[^4..];

    public static string Identifier(string value) =>
        value.Length <= 10 ? new string('*', value.Length) : value[..6] + new string('*', value.Length - 10) + value[^4..];
}
