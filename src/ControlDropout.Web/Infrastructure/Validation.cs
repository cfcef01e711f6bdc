using System.Globalization;
using System.Text;
using FluentValidation;
using FluentValidation.Results;

namespace ControlDropout.Web.Infrastructure;

/// <summary>
/// The one validation style: each request record has a FluentValidation validator in its feature
/// folder, and the use case checks the whole request with <see cref="Validation.Check{T}"/> before it
/// reads or writes anything, so the API and the pages refuse the same input with the same words.
/// A refusal is a 400 whose errors are keyed by each bad field's JSON path (<c>plan.windows[0].from</c>).
/// </summary>
public static class Validation
{
    /// <summary>A person's or a place's name.</summary>
    public const int NameLength = 50;

    /// <summary>Course plans, content, reasons, opinions, notes.</summary>
    public const int FreeTextLength = 4000;

    /// <summary>Identity numbers, codes, phone numbers, short labels.</summary>
    public const int ShortTextLength = 100;

    /// <summary>No list in a request is longer than this (goals, windows, staff, guardians).</summary>
    public const int ListLength = 100;

    /// <summary>Dates the service keeps: anything outside is a typing error or an attack, never a school day.</summary>
    public static readonly DateOnly EarliestDate = new(2000, 1, 1);
    public static readonly DateOnly LatestDate = new(2100, 12, 31);

    /// <summary>Checks a request whole; null when it passes.</summary>
    public static Refusal? Check<T>(IValidator<T> validator, T? request)
    {
        if (request is null)
        {
            return Refusal.Invalid("", "请求内容不能为空");
        }
        var result = validator.Validate(request);
        return result.IsValid ? null : Refusal.Invalid([.. result.Errors.Select(ToError)]);
    }

    private static ApiError ToError(ValidationFailure failure) => new(JsonPath(failure.PropertyName), failure.ErrorMessage);

    /// <summary><c>Plan.Windows[0].From</c> → <c>plan.windows[0].from</c>, as the JSON names the fields.</summary>
    public static string JsonPath(string propertyPath) =>
        string.Join('.', propertyPath.Split('.').Select(segment => segment.Length == 0 ? segment : char.ToLowerInvariant(segment[0]) + segment[1..]));

    /// <summary>True when the text holds a control character other than the line breaks and tabs long text may have.</summary>
    public static bool HasControlCharacters(string text, bool allowLineBreaks)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c) && !(allowLineBreaks && c is '\n' or '\r' or '\t'))
            {
                return true;
            }
        }
        return !IsWellFormed(text);
    }

    /// <summary>Unpaired surrogates cannot be stored, shown or exported as UTF-8: they are refused like control characters.</summary>
    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A required name: not blank, at most 50 characters, one line.</summary>
    public static IRuleBuilderOptions<T, string?> Name<T>(this IRuleBuilder<T, string?> rule, string what) => rule
        .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage($"请填写{what}")
        .Must(v => v is null || v.Length <= NameLength).WithMessage($"{what}不能超过 {NameLength} 个字")
        .Must(v => v is null || !HasControlCharacters(v, allowLineBreaks: false)).WithMessage($"{what}含有不可见的控制字符");

    /// <summary>Optional one-line text (a code, a number, a label): at most <paramref name="max"/> characters.</summary>
    public static IRuleBuilderOptions<T, string?> ShortText<T>(this IRuleBuilder<T, string?> rule, string what, int max = ShortTextLength) => rule
        .Must(v => v is null || v.Length <= max).WithMessage($"{what}不能超过 {max} 个字")
        .Must(v => v is null || !HasControlCharacters(v, allowLineBreaks: false)).WithMessage($"{what}含有不可见的控制字符");

    /// <summary>Optional long text: at most 4,000 characters; line breaks and tabs allowed, other control characters not.</summary>
    public static IRuleBuilderOptions<T, string?> FreeText<T>(this IRuleBuilder<T, string?> rule, string what) => rule
        .Must(v => v is null || v.Length <= FreeTextLength).WithMessage($"{what}不能超过 {FreeTextLength} 个字")
        .Must(v => v is null || !HasControlCharacters(v, allowLineBreaks: true)).WithMessage($"{what}含有不可见的控制字符");

    /// <summary>Required long text.</summary>
    public static IRuleBuilderOptions<T, string?> RequiredText<T>(this IRuleBuilder<T, string?> rule, string what) => rule
        .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage($"请填写{what}")
        .FreeText(what);

    /// <summary>An enum value that is one of its named members (JSON may carry any number).</summary>
    public static IRuleBuilderOptions<T, TEnum> Defined<T, TEnum>(this IRuleBuilder<T, TEnum> rule, string what) where TEnum : struct, Enum => rule
        .Must(v => Enum.IsDefined(v)).WithMessage($"{what}不是可选的值");

    /// <summary>A date in the window the service keeps (2000–2100).</summary>
    public static IRuleBuilderOptions<T, DateOnly> Sane<T>(this IRuleBuilder<T, DateOnly> rule, string what) => rule
        .Must(d => d >= EarliestDate && d <= LatestDate)
        .WithMessage($"{what}须在 {EarliestDate:yyyy-MM-dd} 到 {LatestDate:yyyy-MM-dd} 之间");

    /// <summary>An optional date in the window.</summary>
    public static IRuleBuilderOptions<T, DateOnly?> Sane<T>(this IRuleBuilder<T, DateOnly?> rule, string what) => rule
        .Must(d => d is null || (d >= EarliestDate && d <= LatestDate))
        .WithMessage($"{what}须在 {EarliestDate:yyyy-MM-dd} 到 {LatestDate:yyyy-MM-dd} 之间");

    /// <summary>A list with no null in it and at most <see cref="ListLength"/> items (null is allowed where the field is optional).</summary>
    public static IRuleBuilderOptions<T, IReadOnlyList<TItem>?> Items<T, TItem>(this IRuleBuilder<T, IReadOnlyList<TItem>?> rule, string what) => rule
        .Must(list => list is null || list.Count <= ListLength).WithMessage($"{what}最多 {ListLength} 项")
        .Must(list => list is null || list.All(item => item is not null)).WithMessage($"{what}中有空项");

    /// <summary>An ISO week label (<c>2026-W37</c>) that exists in its year.</summary>
    public static bool IsIsoWeek(string? text)
    {
        if (text is not { Length: 8 } || text[4] != '-' || text[5] != 'W'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text.AsSpan(6, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var week))
        {
            return false;
        }
        return year >= EarliestDate.Year && year <= LatestDate.Year && week >= 1 && week <= ISOWeek.GetWeeksInYear(year);
    }

    /// <summary>Text safe to put into any output (CSV, XML, a page): control characters other than line breaks and tabs become spaces, unpaired surrogates U+FFFD.</summary>
    public static string Printable(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        if (!HasControlCharacters(text, allowLineBreaks: true))
        {
            return text;
        }
        var clean = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                clean.Append('\uFFFD');
            }
            else
            {
                clean.Append(char.IsControl(c) && c is not ('\n' or '\r' or '\t') ? ' ' : c);
            }
        }
        return clean.ToString();
    }
}
