using System.Globalization;
using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.People;

/// <summary>
/// 公民身份号码 (GB 11643-1999): 6 digits of the place of registration, the birth date as yyyyMMdd, a
/// 3-digit sequence whose last digit is odd for a man, and an ISO 7064 MOD 11-2 check character (0–9 or X).
/// One reading for the pages, the API and the roster import, so a number refused on one is refused on all.
/// </summary>
[SharedRule]
public static class IdentityNumbers
{
    public const int IdCardLength = 18;

    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>What an 18-character number says of its holder, or why it is not one.</summary>
    public readonly record struct IdCard(DateOnly BirthDate, string Gender);

    /// <summary>The number as it is stored: trimmed, a lower-case x made upper-case.</summary>
    public static string Normalise(string? value) => (value ?? "").Trim().ToUpperInvariant();

    /// <summary>Reads a 身份证号; null with the reason (in Chinese) when it is not a valid one.</summary>
    public static IdCard? Read(string? value, out string? problem)
    {
        var number = Normalise(value);
        problem = null;
        if (number.Length != IdCardLength || !number[..17].All(char.IsAsciiDigit) || !(char.IsAsciiDigit(number[17]) || number[17] == 'X'))
        {
            problem = "身份证号须为 18 位（前 17 位为数字，最后一位为数字或 X）";
            return null;
        }
        if (!DateOnly.TryParseExact(number.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth))
        {
            problem = "身份证号中的出生日期（第 7–14 位）不是有效日期";
            return null;
        }
        if (CheckCharacter(number) != number[17])
        {
            problem = "身份证号校验位不正确，请核对";
            return null;
        }
        return new IdCard(birth, (number[16] - '0') % 2 == 1 ? "男" : "女");
    }

    /// <summary>The 18th character the first 17 digits call for.</summary>
    public static char CheckCharacter(string first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }
        return CheckCharacters[sum % 11];
    }

    /// <summary>A syntactically valid number for a place code, birth date and sequence (synthetic demo and template rows).</summary>
    public static string Compose(string placeCode6, DateOnly birth, int sequence)
    {
        var first17 = string.Create(CultureInfo.InvariantCulture, $"{placeCode6}{birth:yyyyMMdd}{sequence:000}");
        return first17 + CheckCharacter(first17);
    }
}
