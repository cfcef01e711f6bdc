using System.Globalization;
using ControlDropout.Web.Domain;

namespace ControlDropout.Web.Features.Imports;

/// <summary>
/// How a roster's cells are written by the people who keep them (一级 or 1, 智力 or 智力残疾, 周一至周五 or 1,3,5),
/// read into the values the requests take. Each reader answers null when it cannot read the cell.
/// </summary>
public static class RosterCells
{
    private static readonly string[] DateFormats = ["yyyy-M-d", "yyyy/M/d", "yyyy.M.d", "yyyyMMdd", "yyyy年M月d日", "yyyy-M-d H:mm", "yyyy/M/d H:mm"];

    public static DateOnly? Date(string text)
    {
        var value = text.Trim();
        if (DateOnly.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }
        if (DateTime.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            return DateOnly.FromDateTime(at);
        }
        // A date cell Excel kept as its serial number (days since 1899-12-30).
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var serial) && serial is > 1 and < 80000 && value.Length <= 5)
        {
            return DateOnly.FromDateTime(new DateTime(1899, 12, 30, 0, 0, 0, DateTimeKind.Unspecified).AddDays(serial));
        }
        return null;
    }

    public static readonly (string Word, DisabilityCategory Category)[] Categories =
    [
        ("视力", DisabilityCategory.Visual), ("听力", DisabilityCategory.Hearing), ("言语", DisabilityCategory.Speech), ("肢体", DisabilityCategory.Physical),
        ("智力", DisabilityCategory.Intellectual), ("精神", DisabilityCategory.Mental), ("多重", DisabilityCategory.Multiple),
    ];

    public static DisabilityCategory? Category(string text)
    {
        var value = text.Trim().Replace("残疾", "", StringComparison.Ordinal);
        return Categories.Where(c => c.Word == value).Select(c => (DisabilityCategory?)c.Category).FirstOrDefault();
    }

    /// <summary>1–4, 一级…四级, 1级; any other number is read as it is so the range rule can name it.</summary>
    public static int? Grade(string text)
    {
        var value = text.Trim().Replace("级", "", StringComparison.Ordinal);
        var chinese = "一二三四".IndexOf(value, StringComparison.Ordinal);
        if (value.Length == 1 && chinese >= 0)
        {
            return chinese + 1;
        }
        return int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var grade) ? grade : null;
    }

    public static string? Gender(string text) => text.Trim() switch
    {
        "男" or "男性" => "男",
        "女" or "女性" => "女",
        _ => null,
    };

    public static readonly (string Word, Department Department)[] Departments =
    [
        ("教育", Department.Education), ("卫健", Department.Health), ("残联", Department.DisabledPersonsFederation), ("民政", Department.CivilAffairs),
    ];

    public static Department? DepartmentOf(string text)
    {
        var value = text.Trim();
        return value switch
        {
            "教育" or "教体" or "教育局" or "教体局" or "学校" => Department.Education,
            "卫健" or "卫生" or "卫健局" or "卫生院" => Department.Health,
            "残联" => Department.DisabledPersonsFederation,
            "民政" or "民政局" => Department.CivilAffairs,
            _ => null,
        };
    }

    /// <summary>The Chinese words a roster uses for the skill codes the scheduler matches plans on.</summary>
    public static readonly (string Words, string Code)[] SkillWords =
    [
        ("特殊教育、特教、送教", "special-education"),
        ("康复、康复训练", "rehabilitation"),
        ("医疗、医生、医学、护理", "medical"),
        ("言语、言语治疗、语言训练", "speech-therapy"),
        ("心理、心理辅导", "psychology"),
        ("手语", "sign-language"),
        ("盲文", "braille"),
    ];

    private static readonly char[] ListSeparators = ['、', ',', '，', ';', '；', '/', ' ', '　'];
    private static readonly System.Buffers.SearchValues<char> AnySeparator = System.Buffers.SearchValues.Create(ListSeparators);

    /// <summary>The skill codes of a cell, or the word that is none.</summary>
    public static (List<string> Codes, string? Unknown) Skills(string text)
    {
        var codes = new List<string>();
        foreach (var word in text.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var code = SkillWords.FirstOrDefault(s => s.Code == word || s.Words.Split('、').Contains(word)).Code;
            if (code is null)
            {
                return (codes, word);
            }
            if (!codes.Contains(code))
            {
                codes.Add(code);
            }
        }
        return (codes, null);
    }

    public static List<string> Members(string text) =>
        [.. text.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>周一至周五, 一三五, 周一、周三, 1,3,5, 1-5: the days 1 (Monday) to 7; null when a part is not a day.</summary>
    public static List<int>? Days(string text)
    {
        var value = text.Trim().Replace("星期", "", StringComparison.Ordinal).Replace("礼拜", "", StringComparison.Ordinal).Replace("周", "", StringComparison.Ordinal);
        if (value.Length == 0)
        {
            return null;
        }
        foreach (var range in new[] { "至", "到", "-", "~", "—", "－" })
        {
            var parts = value.Split(range);
            if (parts.Length == 2 && Day(parts[0].Trim()) is { } from && Day(parts[1].Trim()) is { } to && from <= to)
            {
                return [.. Enumerable.Range(from, to - from + 1)];
            }
        }
        var tokens = value.AsSpan().IndexOfAny(AnySeparator) >= 0
            ? value.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : value.Select(c => c.ToString()).ToArray();
        var days = new List<int>();
        foreach (var token in tokens)
        {
            if (Day(token) is not { } day)
            {
                return null;
            }
            if (!days.Contains(day))
            {
                days.Add(day);
            }
        }
        days.Sort();
        return days;
    }

    private static int? Day(string token) => token switch
    {
        "一" or "1" => 1,
        "二" or "2" => 2,
        "三" or "3" => 3,
        "四" or "4" => 4,
        "五" or "5" => 5,
        "六" or "6" => 6,
        "日" or "天" or "七" or "7" => 7,
        _ => null,
    };

    public static bool? YesNo(string text) => text.Trim() switch
    {
        "是" or "可" or "可以" or "Y" or "y" or "1" or "√" => true,
        "否" or "不" or "不可" or "N" or "n" or "0" or "" => false,
        _ => null,
    };

    public static readonly (string Word, AssessmentConclusion Conclusion)[] Conclusions =
    [
        ("送教上门", AssessmentConclusion.HomeTeaching), ("远程送教", AssessmentConclusion.RemoteTeaching), ("随班就读", AssessmentConclusion.RegularClass),
        ("特教学校", AssessmentConclusion.SpecialSchool), ("暂缓", AssessmentConclusion.Deferred),
    ];

    public static AssessmentConclusion? Conclusion(string text) => text.Trim() switch
    {
        "送教上门" => AssessmentConclusion.HomeTeaching,
        "远程送教" or "远程" => AssessmentConclusion.RemoteTeaching,
        "随班就读" => AssessmentConclusion.RegularClass,
        "特教学校" or "特殊教育学校" or "特教学校就读" => AssessmentConclusion.SpecialSchool,
        "暂缓" or "暂缓入学" or "延缓入学" => AssessmentConclusion.Deferred,
        _ => null,
    };
}
