using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using ControlDropout.Web.Features.People;
using FluentAssertions;
using MiniExcelLibs;

[assembly: SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Scope = "namespace", Target = "~N:ControlDropout.Web.Tests.Features.Imports",
    Justification = "Tests mirror Features/Imports; 'Imports' is a keyword only in Visual Basic.")]

namespace ControlDropout.Web.Tests.Features.Imports;

/// <summary>Rosters built in memory as a county would keep them: xlsx through MiniExcel, or CSV in GB18030 as Chinese Excel saves it.</summary>
internal static class Rosters
{
    public static readonly string[] StudentHeaders =
        ["姓名", "性别", "民族", "出生日期", "身份证号", "全国学籍号", "残疾类别", "残疾等级", "残疾人证号", "发证日期", "学籍学校", "乡镇", "村/社区", "监护人", "关系", "监护人电话"];

    /// <summary><paramref name="count"/> children with distinct, valid 身份证号 (births from <paramref name="firstBirth"/>, one a day).</summary>
    public static List<Dictionary<string, string>> Children(string countyCode, string school, int count, DateOnly firstBirth)
    {
        var rows = new List<Dictionary<string, string>>();
        string[] categories = ["视力", "听力", "言语", "肢体", "智力", "精神", "多重"];
        for (var i = 0; i < count; i++)
        {
            var birth = firstBirth.AddDays(i);
            var male = i % 2 == 0;
            var card = IdentityNumbers.Compose(countyCode, birth, male ? 11 : 12);
            var (township, village) = (i % 3) switch
            {
                0 => ("博尚镇", "碗窑村委会"),
                1 => ("南美乡", "南美村委会"),
                _ => ("南美", "坡脚"),
            };
            rows.Add(new Dictionary<string, string>
            {
                ["姓名"] = $"学生{i:000}", ["性别"] = male ? "男" : "女", ["民族"] = "汉族", ["出生日期"] = birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["身份证号"] = card, ["全国学籍号"] = "G" + card, ["残疾类别"] = categories[i % 7], ["残疾等级"] = (i % 4) switch { 0 => "一级", 1 => "2", 2 => "三级", _ => "4级" },
                ["残疾人证号"] = card + "52", ["发证日期"] = "2025-12-01", ["学籍学校"] = school, ["乡镇"] = township, ["村/社区"] = village,
                ["监护人"] = $"家长{i:000}", ["关系"] = "母亲", ["监护人电话"] = string.Create(CultureInfo.InvariantCulture, $"139{i:00000000}"),
            });
        }
        return rows;
    }

    public static byte[] Xlsx(IEnumerable<Dictionary<string, string>> rows, string[] headers)
    {
        using var stream = new MemoryStream();
        stream.SaveAs(rows.Select(r => (IDictionary<string, object>)headers.ToDictionary(h => h, h => (object)r.GetValueOrDefault(h, ""))).ToList());
        return stream.ToArray();
    }

    public static byte[] Csv(IEnumerable<Dictionary<string, string>> rows, string[] headers, Encoding encoding)
    {
        var text = new StringBuilder();
        text.Append(string.Join(',', headers)).Append("\r\n");
        foreach (var row in rows)
        {
            text.Append(string.Join(',', headers.Select(h => Quote(row.GetValueOrDefault(h, ""))))).Append("\r\n");
        }
        return encoding.GetBytes(text.ToString());
    }

    private static string Quote(string value) => value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    public static Encoding Gb18030()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(54936);
    }

    /// <summary>The workbook with one cell of its first sheet replaced by a formula (as Excel writes one: &lt;f&gt; with a cached value).</summary>
    public static byte[] WithFormula(byte[] xlsx, string cell, string formula)
    {
        using var copy = new MemoryStream();
        copy.Write(xlsx);
        using (var zip = new ZipArchive(copy, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry("xl/worksheets/sheet1.xml")!;
            string xml;
            using (var reader = new StreamReader(entry.Open()))
            {
                xml = reader.ReadToEnd();
            }
            var start = xml.IndexOf($"<x:c r=\"{cell}\"", StringComparison.Ordinal);
            var prefix = "x:";
            if (start < 0)
            {
                start = xml.IndexOf($"<c r=\"{cell}\"", StringComparison.Ordinal);
                prefix = "";
            }
            start.Should().BeGreaterThanOrEqualTo(0, $"cell {cell} is in the sheet");
            var end = xml.IndexOf($"</{prefix}c>", start, StringComparison.Ordinal) + $"</{prefix}c>".Length;
            xml = xml[..start] + $"<{prefix}c r=\"{cell}\" t=\"str\"><{prefix}f>{formula}</{prefix}f><{prefix}v>x</{prefix}v></{prefix}c>" + xml[end..];
            entry.Delete();
            var replaced = zip.CreateEntry("xl/worksheets/sheet1.xml");
            using var writer = new StreamWriter(replaced.Open());
            writer.Write(xml);
        }
        return copy.ToArray();
    }

    /// <summary>A zip named .xlsx whose one entry inflates to 200 MB of zeros.</summary>
    public static byte[] ZipBomb()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            zip.CreateEntry("xl/workbook.xml").Open().Dispose();
            using var sheet = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 200; i++)
            {
                sheet.Write(zeros);
            }
        }
        return stream.ToArray();
    }

    public static MultipartFormDataContent Form(byte[] content, string fileName)
    {
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent { { file, "file", fileName } };
    }
}
