using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using ControlDropout.Web.Infrastructure;
using MiniExcelLibs;

namespace ControlDropout.Web.Features.Imports;

/// <summary>One data row of an uploaded roster: its row number as the spreadsheet shows it (header = 1) and its cells by header.</summary>
public sealed record SheetRow(int Number, IReadOnlyDictionary<string, string> Cells)
{
    public string this[string column] => Cells.TryGetValue(column, out var value) ? value : "";
}

/// <summary>An uploaded roster, read: its headers, its non-blank data rows, and the cells that held formulas (never read as values).</summary>
public sealed record Sheet(IReadOnlyList<string> Headers, IReadOnlyList<SheetRow> Rows, IReadOnlyList<ImportError> FormulaCells);

/// <summary>
/// Reads an upload as an xlsx workbook (first sheet) or a CSV file (UTF-8 with or without BOM, else GB18030,
/// which is what Chinese Excel saves). The file is checked before any library reads it: a zip whose
/// entries would inflate past the limits (a zip bomb) or anything that is not a spreadsheet is refused,
/// and a formula is never evaluated — its cell becomes a row error.
/// </summary>
public static class SheetReader
{
    public const long MaxFileBytes = 5 * 1024 * 1024;
    public const int MaxDataRows = 5000;
    private const int MaxZipEntries = 200;
    private const long MaxUnzippedBytes = 64L * 1024 * 1024;
    private const long MaxEntryRatio = 100;
    /// <summary>Rows read at most, blank ones included, so that a sheet of blank rows cannot keep us reading.</summary>
    private const int MaxRowsScanned = 50_000;

    public const string FormulaMessage = "单元格含公式，请粘贴为数值";

    private static readonly Lazy<Encoding> Gb18030 = new(() =>
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(54936);
    });

    private static Refusal NotASpreadsheet(string message = "文件不是可读取的 Excel（.xlsx）或 CSV 表格") =>
        new(StatusCodes.Status400BadRequest, "not_a_spreadsheet", message, [new ApiError("file", message)]);

    public static Refusal TooLarge() =>
        new(StatusCodes.Status413PayloadTooLarge, "too_large", "文件超过 5 MB，请拆分后分批导入", [new ApiError("file", "文件超过 5 MB，请拆分后分批导入")]);

    public static Refusal TooManyRows() =>
        Refusal.Unprocessable("too_many_rows", $"一次最多导入 {MaxDataRows} 行，请拆分后分批导入", [new ApiError("file", $"一次最多导入 {MaxDataRows} 行")]);

    /// <summary>Text a spreadsheet would take for a formula (or that hides one behind a tab or a carriage return).</summary>
    public static bool LooksLikeFormula(string text) => text.Length > 0 && text[0] is '=' or '+' or '@' or '\t' or '\r';

    public static Result<Sheet> Read(byte[] content, string? fileName)
    {
        if (content.Length > MaxFileBytes)
        {
            return TooLarge();
        }
        if (content.Length == 0)
        {
            return NotASpreadsheet("文件是空的");
        }
        var isZip = content.Length >= 4 && content[0] == 'P' && content[1] == 'K' && content[2] == 3 && content[3] == 4;
        if (isZip)
        {
            return ReadXlsx(content);
        }
        var name = fileName ?? "";
        if (name.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".xls", StringComparison.OrdinalIgnoreCase))
        {
            return NotASpreadsheet(name.EndsWith(".xls", StringComparison.OrdinalIgnoreCase) ? "不支持旧版 .xls 文件，请另存为 .xlsx 或 CSV" : "文件扩展名是 .xlsx，但内容不是 Excel 表格");
        }
        return ReadCsv(content);
    }

    private static Result<Sheet> ReadXlsx(byte[] content)
    {
        var formulas = new List<(int Row, int Column)>();
        try
        {
            using (var zip = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read))
            {
                if (zip.Entries.Count > MaxZipEntries)
                {
                    return NotASpreadsheet("文件结构异常（压缩包条目过多），已拒绝");
                }
                long total = 0;
                foreach (var entry in zip.Entries)
                {
                    total += entry.Length;
                    if (total > MaxUnzippedBytes || (entry.Length > 1024 * 1024 && entry.Length > MaxEntryRatio * Math.Max(1, entry.CompressedLength)))
                    {
                        return NotASpreadsheet("文件解压后过大（疑似压缩炸弹），已拒绝");
                    }
                }
                if (zip.GetEntry("xl/workbook.xml") is null)
                {
                    return NotASpreadsheet("压缩包不是 Excel 工作簿（.xlsx）");
                }
                foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal)))
                {
                    using var stream = new BoundedStream(entry.Open(), entry.Length);
                    formulas.AddRange(FormulaCells(stream));
                }
            }
            var rows = new List<List<string>>();
            using var sheet = new MemoryStream(content, writable: false);
            var scanned = 0;
            foreach (IDictionary<string, object?> row in MiniExcel.Query(sheet, useHeaderRow: false, excelType: ExcelType.XLSX))
            {
                if (++scanned > MaxRowsScanned)
                {
                    break;
                }
                rows.Add([.. row.Values.Select(CellText)]);
            }
            return Shape(rows, formulas);
        }
        catch (Exception e) when (e is InvalidDataException or XmlException or IOException or InvalidOperationException or FormatException or NotSupportedException or ArgumentException
            or KeyNotFoundException or IndexOutOfRangeException or NullReferenceException or OverflowException or InvalidCastException)
        {
            return NotASpreadsheet("Excel 文件已损坏或格式不受支持");
        }
    }

    /// <summary>Cells with an <c>&lt;f&gt;</c> element, found by reading the sheet's XML (no DTDs, nothing resolved).</summary>
    private static List<(int Row, int Column)> FormulaCells(Stream sheetXml)
    {
        var found = new List<(int, int)>();
        using var reader = XmlReader.Create(sheetXml, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true });
        string? cell = null;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }
            if (reader.LocalName == "c")
            {
                cell = reader.GetAttribute("r");
            }
            else if (reader.LocalName == "f" && cell is not null && CellReference(cell) is { } at)
            {
                found.Add(at);
            }
        }
        return found;
    }

    /// <summary><c>C12</c> → (12, 2), zero-based column.</summary>
    private static (int Row, int Column)? CellReference(string reference)
    {
        var column = 0;
        var i = 0;
        while (i < reference.Length && char.IsAsciiLetterUpper(reference[i]))
        {
            column = column * 26 + (reference[i] - 'A' + 1);
            i++;
        }
        return i > 0 && int.TryParse(reference.AsSpan(i), NumberStyles.None, CultureInfo.InvariantCulture, out var row) ? (row, column - 1) : null;
    }

    private static string CellText(object? value) => value switch
    {
        null => "",
        DateTime d => d.TimeOfDay == TimeSpan.Zero ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : d.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        double n when n == Math.Floor(n) && Math.Abs(n) < 1e15 => n.ToString("0", CultureInfo.InvariantCulture),
        double n => n.ToString(CultureInfo.InvariantCulture),
        decimal n => n.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "是" : "否",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static Result<Sheet> ReadCsv(byte[] content)
    {
        string text;
        if (content.Length >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF)
        {
            if (!TryDecode(new UTF8Encoding(false, throwOnInvalidBytes: true), content.AsSpan(3), out text))
            {
                return NotASpreadsheet("CSV 文件的编码无法识别（请另存为 UTF-8 或 GB18030）");
            }
        }
        else if (!TryDecode(new UTF8Encoding(false, throwOnInvalidBytes: true), content, out text)
            && !TryDecode(Encoding.GetEncoding(Gb18030.Value.CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback), content, out text))
        {
            return NotASpreadsheet("CSV 文件的编码无法识别（请另存为 UTF-8 或 GB18030）");
        }
        // A binary file decodes to text full of control characters; a CSV has none but its line breaks and tabs.
        if (text.Any(c => char.IsControl(c) && c is not ('\r' or '\n' or '\t')))
        {
            return NotASpreadsheet();
        }
        var rows = Csv(text);
        if (rows.Count > MaxRowsScanned)
        {
            rows = rows[..MaxRowsScanned];
        }
        // A formula typed into a CSV cell is caught per cell with the other checks (LooksLikeFormula).
        return Shape(rows, []);
    }

    private static bool TryDecode(Encoding encoding, ReadOnlySpan<byte> bytes, out string text)
    {
        try
        {
            text = encoding.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }

    /// <summary>RFC 4180: fields separated by commas, quoted with double quotes (a doubled quote inside), rows by CRLF or LF.</summary>
    internal static List<List<string>> Csv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i += 2;
                    continue;
                }
                if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
                i++;
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    row.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\n':
                    row.Add(field.ToString());
                    field.Clear();
                    rows.Add(row);
                    row = [];
                    break;
                default:
                    field.Append(c);
                    break;
            }
            i++;
        }
        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>The first row is the header; blank rows are skipped; every other row keeps the number the spreadsheet shows.</summary>
    private static Result<Sheet> Shape(List<List<string>> rows, List<(int Row, int Column)> formulaCells)
    {
        if (rows.Count == 0)
        {
            return NotASpreadsheet("表格是空的：第 1 行须为列名");
        }
        var headers = rows[0].Select(h => h.Trim()).ToList();
        var data = new List<SheetRow>();
        for (var r = 1; r < rows.Count; r++)
        {
            var values = rows[r];
            if (values.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }
            if (data.Count == MaxDataRows)
            {
                return TooManyRows();
            }
            var cells = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var c = 0; c < headers.Count && c < values.Count; c++)
            {
                if (headers[c].Length > 0)
                {
                    cells.TryAdd(headers[c], values[c].Trim());
                }
            }
            data.Add(new SheetRow(r + 1, cells));
        }
        var formulas = formulaCells
            .Select(f => new ImportError(f.Row, f.Column >= 0 && f.Column < headers.Count && headers[f.Column].Length > 0 ? headers[f.Column] : ColumnLetters(f.Column), FormulaMessage))
            .Distinct().ToList();
        return new Sheet(headers, data, formulas);
    }

    private static string ColumnLetters(int column)
    {
        var letters = "";
        for (var n = column + 1; n > 0; n = (n - 1) / 26)
        {
            letters = (char)('A' + (n - 1) % 26) + letters;
        }
        return letters + " 列";
    }

    /// <summary>A zip entry's stream that stops at the size the entry declared, whatever the compressed data says.</summary>
    private sealed class BoundedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            _read += n;
            if (_read > limit)
            {
                throw new InvalidDataException("Entry larger than declared");
            }
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
