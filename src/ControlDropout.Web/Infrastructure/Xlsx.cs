using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace ControlDropout.Web.Infrastructure;

/// <summary>A column of a printed sheet: its header and, optionally, a width in characters (else fitted to the text).</summary>
public sealed record XlsxColumn(string Header, double? Width = null);

/// <summary>
/// One sheet as a bureau prints it: an optional title row merged across the columns, optional lines under it
/// (填报单位, 导出日期…), the header row, then the rows. A cell is a string (text), an integer or a decimal
/// (typed numbers Excel can sum), or null (empty).
/// </summary>
public sealed record XlsxSheet(string Name, IReadOnlyList<XlsxColumn> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows)
{
    public string? Title { get; init; }
    public IReadOnlyList<string> Subtitles { get; init; } = [];
}

/// <summary>
/// A small SpreadsheetML writer for the files a bureau prints (MiniExcel writes plain tables: every cell
/// text, no title, widths or print setup). Each sheet gets a frozen header row, column widths fitted to
/// Chinese text (a CJK character counts two), numbers as numeric cells, A4 landscape fitted to one page
/// wide, the header row repeated on every printed page (_xlnm.Print_Titles) and a print area
/// (_xlnm.Print_Area). Text cells are inline strings, each through <see cref="ExportFile.Cell"/>: printable,
/// never a formula.
/// </summary>
public static class Xlsx
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string RelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string PackageRels = "http://schemas.openxmlformats.org/package/2006/relationships";
    private const double MaxWidth = 60;

    // Style indexes in styles.xml's cellXfs.
    private const int TitleStyle = 1;
    private const int SubtitleStyle = 2;
    private const int HeaderStyle = 3;
    private const int TextStyle = 4;
    private const int NumberStyle = 5;

    public static byte[] Write(params IReadOnlyList<XlsxSheet> sheets)
    {
        ArgumentNullException.ThrowIfNull(sheets);
        if (sheets.Count == 0)
        {
            throw new ArgumentException("A workbook needs a sheet.", nameof(sheets));
        }
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            Entry(zip, "[Content_Types].xml", w => ContentTypes(w, sheets.Count));
            Entry(zip, "_rels/.rels", w => Relationships(w, [("rId1", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument", "xl/workbook.xml")]));
            Entry(zip, "xl/_rels/workbook.xml.rels", w => Relationships(w,
                [.. sheets.Select((_, i) => ($"rId{i + 1}", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet", $"worksheets/sheet{i + 1}.xml")),
                 ($"rId{sheets.Count + 1}", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles", "styles.xml")]));
            Entry(zip, "xl/workbook.xml", w => Workbook(w, sheets));
            Entry(zip, "xl/styles.xml", Styles);
            for (var i = 0; i < sheets.Count; i++)
            {
                var sheet = sheets[i];
                Entry(zip, $"xl/worksheets/sheet{i + 1}.xml", w => Sheet(w, sheet));
            }
        }
        return stream.ToArray();
    }

    /// <summary>The row (1-based) of a sheet's header: under the title and the lines below it.</summary>
    public static int HeaderRow(XlsxSheet sheet)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        return (sheet.Title is null ? 0 : 1) + sheet.Subtitles.Count + 1;
    }

    /// <summary>A column's letters: 1 → A, 26 → Z, 27 → AA.</summary>
    public static string ColumnName(int column)
    {
        var name = "";
        for (; column > 0; column = (column - 1) / 26)
        {
            name = (char)('A' + ((column - 1) % 26)) + name;
        }
        return name;
    }

    /// <summary>How wide a text prints, in Excel's character units: a CJK (full-width) character takes two.</summary>
    public static double TextWidth(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }
        // A multi-line cell is as wide as its longest line.
        return text.Split('\n').Max(line => line.Sum(c => c >= '\u2E80' ? 2.0 : 1.0));
    }

    private static void Entry(ZipArchive zip, string name, Action<XmlWriter> write)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        using var stream = entry.Open();
        using var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), CloseOutput = false });
        writer.WriteStartDocument(standalone: true);
        write(writer);
        writer.WriteEndDocument();
    }

    private static void ContentTypes(XmlWriter w, int sheets)
    {
        const string ns = "http://schemas.openxmlformats.org/package/2006/content-types";
        w.WriteStartElement("Types", ns);
        Default(w, ns, "rels", "application/vnd.openxmlformats-package.relationships+xml");
        Default(w, ns, "xml", "application/xml");
        Override(w, ns, "/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml");
        Override(w, ns, "/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml");
        for (var i = 1; i <= sheets; i++)
        {
            Override(w, ns, $"/xl/worksheets/sheet{i}.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml");
        }
        w.WriteEndElement();

        static void Default(XmlWriter w, string ns, string extension, string type)
        {
            w.WriteStartElement("Default", ns);
            w.WriteAttributeString("Extension", extension);
            w.WriteAttributeString("ContentType", type);
            w.WriteEndElement();
        }

        static void Override(XmlWriter w, string ns, string part, string type)
        {
            w.WriteStartElement("Override", ns);
            w.WriteAttributeString("PartName", part);
            w.WriteAttributeString("ContentType", type);
            w.WriteEndElement();
        }
    }

    private static void Relationships(XmlWriter w, IEnumerable<(string Id, string Type, string Target)> relationships)
    {
        w.WriteStartElement("Relationships", PackageRels);
        foreach (var (id, type, target) in relationships)
        {
            w.WriteStartElement("Relationship", PackageRels);
            w.WriteAttributeString("Id", id);
            w.WriteAttributeString("Type", type);
            w.WriteAttributeString("Target", target);
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static void Workbook(XmlWriter w, IReadOnlyList<XlsxSheet> sheets)
    {
        w.WriteStartElement("workbook", Main);
        w.WriteAttributeString("xmlns", "r", null, RelNs);
        w.WriteStartElement("sheets", Main);
        var names = sheets.Select(s => SheetName(s.Name)).ToList();
        for (var i = 0; i < sheets.Count; i++)
        {
            w.WriteStartElement("sheet", Main);
            w.WriteAttributeString("name", names[i]);
            w.WriteAttributeString("sheetId", (i + 1).ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("id", RelNs, $"rId{i + 1}");
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteStartElement("definedNames", Main);
        for (var i = 0; i < sheets.Count; i++)
        {
            var quoted = $"'{names[i].Replace("'", "''", StringComparison.Ordinal)}'";
            var header = HeaderRow(sheets[i]);
            var last = Math.Max(header + sheets[i].Rows.Count, header);
            DefinedName(w, "_xlnm.Print_Area", i, $"{quoted}!$A$1:${ColumnName(Math.Max(sheets[i].Columns.Count, 1))}${last}");
            DefinedName(w, "_xlnm.Print_Titles", i, $"{quoted}!${header}:${header}");
        }
        w.WriteEndElement();
        w.WriteEndElement();

        static void DefinedName(XmlWriter w, string name, int sheet, string reference)
        {
            w.WriteStartElement("definedName", Main);
            w.WriteAttributeString("name", name);
            w.WriteAttributeString("localSheetId", sheet.ToString(CultureInfo.InvariantCulture));
            w.WriteString(reference);
            w.WriteEndElement();
        }
    }

    /// <summary>A sheet name Excel accepts: at most 31 characters, none of <c>[]:*?/\</c>.</summary>
    private static string SheetName(string name)
    {
        var clean = new string([.. Validation.Printable(name).Select(c => c is '[' or ']' or ':' or '*' or '?' or '/' or '\\' || char.IsControl(c) ? ' ' : c)]).Trim().Trim('\'');
        return clean.Length == 0 ? "Sheet1" : clean.Length > 31 ? clean[..31] : clean;
    }

    private static void Styles(XmlWriter w)
    {
        w.WriteStartElement("styleSheet", Main);
        // Fonts: 0 body, 1 bold (header), 2 bold and large (title).
        w.WriteStartElement("fonts", Main);
        w.WriteAttributeString("count", "3");
        Font(w, bold: false, size: 11);
        Font(w, bold: true, size: 11);
        Font(w, bold: true, size: 16);
        w.WriteEndElement();
        // Excel needs the first two fills as they are (none, gray125).
        w.WriteStartElement("fills", Main);
        w.WriteAttributeString("count", "2");
        foreach (var pattern in new[] { "none", "gray125" })
        {
            w.WriteStartElement("fill", Main);
            w.WriteStartElement("patternFill", Main);
            w.WriteAttributeString("patternType", pattern);
            w.WriteEndElement();
            w.WriteEndElement();
        }
        w.WriteEndElement();
        // Borders: 0 none, 1 thin all round (the table's cells).
        w.WriteStartElement("borders", Main);
        w.WriteAttributeString("count", "2");
        w.WriteStartElement("border", Main);
        w.WriteEndElement();
        w.WriteStartElement("border", Main);
        foreach (var side in new[] { "left", "right", "top", "bottom" })
        {
            w.WriteStartElement(side, Main);
            w.WriteAttributeString("style", "thin");
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteStartElement("cellStyleXfs", Main);
        w.WriteAttributeString("count", "1");
        Xf(w, 0, 0, null, null, wrap: false, master: false);
        w.WriteEndElement();
        w.WriteStartElement("cellXfs", Main);
        w.WriteAttributeString("count", "6");
        Xf(w, font: 0, border: 0, horizontal: null, vertical: null, wrap: false);
        Xf(w, font: 2, border: 0, horizontal: "center", vertical: "center", wrap: false);      // TitleStyle
        Xf(w, font: 0, border: 0, horizontal: "left", vertical: "center", wrap: false);        // SubtitleStyle
        Xf(w, font: 1, border: 1, horizontal: "center", vertical: "center", wrap: true);       // HeaderStyle
        Xf(w, font: 0, border: 1, horizontal: null, vertical: "top", wrap: true);              // TextStyle
        Xf(w, font: 0, border: 1, horizontal: "right", vertical: "top", wrap: false);          // NumberStyle
        w.WriteEndElement();
        w.WriteEndElement();

        static void Font(XmlWriter w, bool bold, int size)
        {
            w.WriteStartElement("font", Main);
            if (bold)
            {
                w.WriteStartElement("b", Main);
                w.WriteEndElement();
            }
            w.WriteStartElement("sz", Main);
            w.WriteAttributeString("val", size.ToString(CultureInfo.InvariantCulture));
            w.WriteEndElement();
            w.WriteStartElement("name", Main);
            w.WriteAttributeString("val", "宋体");
            w.WriteEndElement();
            w.WriteStartElement("charset", Main);
            w.WriteAttributeString("val", "134");
            w.WriteEndElement();
            w.WriteEndElement();
        }

        static void Xf(XmlWriter w, int font, int border, string? horizontal, string? vertical, bool wrap, bool master = true)
        {
            w.WriteStartElement("xf", Main);
            w.WriteAttributeString("numFmtId", "0");
            w.WriteAttributeString("fontId", font.ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("fillId", "0");
            w.WriteAttributeString("borderId", border.ToString(CultureInfo.InvariantCulture));
            if (master)
            {
                w.WriteAttributeString("xfId", "0");
                if (font != 0)
                {
                    w.WriteAttributeString("applyFont", "1");
                }
                if (border != 0)
                {
                    w.WriteAttributeString("applyBorder", "1");
                }
            }
            if (horizontal is not null || vertical is not null || wrap)
            {
                w.WriteAttributeString("applyAlignment", "1");
                w.WriteStartElement("alignment", Main);
                if (horizontal is not null)
                {
                    w.WriteAttributeString("horizontal", horizontal);
                }
                if (vertical is not null)
                {
                    w.WriteAttributeString("vertical", vertical);
                }
                if (wrap)
                {
                    w.WriteAttributeString("wrapText", "1");
                }
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
    }

    private static void Sheet(XmlWriter w, XlsxSheet sheet)
    {
        var columns = Math.Max(sheet.Columns.Count, 1);
        var header = HeaderRow(sheet);
        var lastColumn = ColumnName(columns);
        w.WriteStartElement("worksheet", Main);
        w.WriteAttributeString("xmlns", "r", null, RelNs);
        // Fit to the page's width (fitToWidth below), as many pages long as it takes.
        w.WriteStartElement("sheetPr", Main);
        w.WriteStartElement("pageSetUpPr", Main);
        w.WriteAttributeString("fitToPage", "1");
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteStartElement("dimension", Main);
        w.WriteAttributeString("ref", $"A1:{lastColumn}{header + sheet.Rows.Count}");
        w.WriteEndElement();
        // The header row stays in view while the rows scroll.
        var firstBody = $"A{header + 1}";
        w.WriteStartElement("sheetViews", Main);
        w.WriteStartElement("sheetView", Main);
        w.WriteAttributeString("workbookViewId", "0");
        w.WriteStartElement("pane", Main);
        w.WriteAttributeString("ySplit", header.ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("topLeftCell", firstBody);
        w.WriteAttributeString("activePane", "bottomLeft");
        w.WriteAttributeString("state", "frozen");
        w.WriteEndElement();
        w.WriteStartElement("selection", Main);
        w.WriteAttributeString("pane", "bottomLeft");
        w.WriteAttributeString("activeCell", firstBody);
        w.WriteAttributeString("sqref", firstBody);
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteStartElement("cols", Main);
        for (var c = 0; c < sheet.Columns.Count; c++)
        {
            w.WriteStartElement("col", Main);
            w.WriteAttributeString("min", (c + 1).ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("max", (c + 1).ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("width", Width(sheet, c).ToString("0.##", CultureInfo.InvariantCulture));
            w.WriteAttributeString("customWidth", "1");
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteStartElement("sheetData", Main);
        var row = 0;
        if (sheet.Title is { } title)
        {
            Row(w, ++row, [title], TitleStyle, heightPoints: 28);
        }
        foreach (var line in sheet.Subtitles)
        {
            Row(w, ++row, [line], SubtitleStyle);
        }
        Row(w, ++row, [.. sheet.Columns.Select(c => (object?)c.Header)], HeaderStyle);
        foreach (var cells in sheet.Rows)
        {
            Row(w, ++row, cells, TextStyle);
        }
        w.WriteEndElement();
        // The title and each line under it span the table's width.
        var merged = Enumerable.Range(1, header - 1).ToList();
        if (merged.Count > 0 && columns > 1)
        {
            w.WriteStartElement("mergeCells", Main);
            w.WriteAttributeString("count", merged.Count.ToString(CultureInfo.InvariantCulture));
            foreach (var r in merged)
            {
                w.WriteStartElement("mergeCell", Main);
                w.WriteAttributeString("ref", $"A{r}:{lastColumn}{r}");
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        w.WriteStartElement("printOptions", Main);
        w.WriteAttributeString("horizontalCentered", "1");
        w.WriteEndElement();
        w.WriteStartElement("pageMargins", Main);
        foreach (var (side, inches) in new[] { ("left", "0.4"), ("right", "0.4"), ("top", "0.6"), ("bottom", "0.6"), ("header", "0.3"), ("footer", "0.3") })
        {
            w.WriteAttributeString(side, inches);
        }
        w.WriteEndElement();
        // A4 (paperSize 9), landscape, one page wide and as many long as needed.
        w.WriteStartElement("pageSetup", Main);
        w.WriteAttributeString("paperSize", "9");
        w.WriteAttributeString("orientation", "landscape");
        w.WriteAttributeString("fitToWidth", "1");
        w.WriteAttributeString("fitToHeight", "0");
        w.WriteEndElement();
        w.WriteEndElement();
    }

    /// <summary>A column's width: as given, else its widest text (header or cell) with a margin, within bounds.</summary>
    private static double Width(XlsxSheet sheet, int column)
    {
        if (sheet.Columns[column].Width is { } given)
        {
            return given;
        }
        var widest = sheet.Rows.Select(r => column < r.Count ? TextWidth(Text(r[column])) : 0).DefaultIfEmpty(0).Max();
        // A header may wrap onto two lines, a body cell wraps beyond the maximum.
        var headerWidth = TextWidth(sheet.Columns[column].Header) / (TextWidth(sheet.Columns[column].Header) > 12 ? 2 : 1);
        return Math.Clamp(Math.Max(widest, headerWidth) + 2, 6, MaxWidth);
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>Text an XML writer takes: a character XML cannot hold (a lone surrogate, U+FFFE) becomes U+FFFD.</summary>
    private static string XmlSafe(string text)
    {
        if (text.All(XmlConvert.IsXmlChar))
        {
            return text;
        }
        var safe = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                safe.Append(text, i++, 2);
            }
            else
            {
                safe.Append(XmlConvert.IsXmlChar(text[i]) ? text[i] : '\uFFFD');
            }
        }
        return safe.ToString();
    }

    private static void Row(XmlWriter w, int row, IReadOnlyList<object?> cells, int textStyle, double? heightPoints = null)
    {
        var r = row.ToString(CultureInfo.InvariantCulture);
        w.WriteStartElement("row", Main);
        w.WriteAttributeString("r", r);
        if (heightPoints is { } height)
        {
            w.WriteAttributeString("ht", height.ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("customHeight", "1");
        }
        for (var c = 0; c < cells.Count; c++)
        {
            var value = cells[c];
            if (value is null)
            {
                continue;
            }
            w.WriteStartElement("c", Main);
            w.WriteAttributeString("r", ColumnName(c + 1) + r);
            if (value is int or long or short or byte or decimal or double or float && textStyle == TextStyle)
            {
                // A number is a numeric cell (no t=): Excel sums it.
                w.WriteAttributeString("s", NumberStyle.ToString(CultureInfo.InvariantCulture));
                w.WriteElementString("v", Main, ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
            }
            else
            {
                w.WriteAttributeString("t", "inlineStr");
                w.WriteAttributeString("s", textStyle.ToString(CultureInfo.InvariantCulture));
                w.WriteStartElement("is", Main);
                w.WriteStartElement("t", Main);
                w.WriteAttributeString("xml", "space", null, "preserve");
                w.WriteString(XmlSafe(ExportFile.Cell(Text(value))));
                w.WriteEndElement();
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }
}
