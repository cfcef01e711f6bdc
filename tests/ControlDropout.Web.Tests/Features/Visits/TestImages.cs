using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SkiaSharp;

namespace ControlDropout.Web.Tests.Features.Visits;

/// <summary>Pictures made for the photo tests: real encodings from Skia, and hand-built EXIF blocks, bombs and fakes.</summary>
public static class TestImages
{
    /// <summary>A picture of coloured blocks (different for each <paramref name="seed"/>), encoded as asked.</summary>
    public static byte[] Encoded(SKEncodedImageFormat format, int width, int height, int seed = 1, int quality = 90)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var random = new Random(seed);
        // Blocks of 16×16 random colours: different for each seed, small enough as PNG at phone-camera sizes.
        var colours = new byte[((width / 16) + 1) * ((height / 16) + 1) * 3];
        random.NextBytes(colours);
        var pixels = new byte[width * height * 4];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var block = (((y / 16) * ((width / 16) + 1)) + (x / 16)) * 3;
                var at = ((y * width) + x) * 4;
                (pixels[at], pixels[at + 1], pixels[at + 2], pixels[at + 3]) = (colours[block], colours[block + 1], colours[block + 2], 255);
            }
        }
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var data = bitmap.Encode(format, quality);
        return data.ToArray();
    }

    public static byte[] Jpeg(int width, int height, int seed = 1) => Encoded(SKEncodedImageFormat.Jpeg, width, height, seed);

    /// <summary>(Width, height, format) of an encoded picture, as Skia reads it.</summary>
    public static (int Width, int Height, SKEncodedImageFormat Format) Probe(byte[] bytes)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data) ?? throw new InvalidOperationException("not an image");
        return (codec.Info.Width, codec.Info.Height, codec.EncodedFormat);
    }

    /// <summary>A JPEG with an APP1 "Exif" segment spliced in right after its SOI marker.</summary>
    public static byte[] WithExif(byte[] jpeg, byte[] tiff)
    {
        var payload = Encoding.ASCII.GetBytes("Exif\0\0").Concat(tiff).ToArray();
        var segment = new byte[4 + payload.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(segment, 4);
        return [.. jpeg.Take(2), .. segment, .. jpeg.Skip(2)];
    }

    /// <summary>One TIFF directory entry: its tag, type (2 ASCII, 3 SHORT, 4 LONG, 5 RATIONAL), count and value bytes; or a pointer to another directory.</summary>
    public sealed record Entry(ushort Tag, ushort Type, uint Count, byte[] Value, int? PointsTo = null)
    {
        public static Entry Ascii(ushort tag, string text) => new(tag, 2, (uint)text.Length + 1, [.. Encoding.ASCII.GetBytes(text), 0]);

        public static Entry UInt16Value(ushort tag, ushort value) => new(tag, 3, 1, BitConverter.GetBytes(value));

        public static Entry Directory(ushort tag, int directory) => new(tag, 4, 1, new byte[4], directory);

        public static Entry Rationals(ushort tag, params (uint N, uint D)[] values) =>
            new(tag, 5, (uint)values.Length, [.. values.SelectMany(v => BitConverter.GetBytes(v.N).Concat(BitConverter.GetBytes(v.D)))]);
    }

    /// <summary>A little-endian TIFF of the given directories (the first is IFD0), values longer than four bytes placed after them.</summary>
    public static byte[] Tiff(params Entry[][] directories)
    {
        var offsets = new int[directories.Length];
        var at = 8;
        for (var i = 0; i < directories.Length; i++)
        {
            offsets[i] = at;
            at += 2 + (12 * directories[i].Length) + 4;
        }
        var head = new byte[at];
        var data = new List<byte>();
        "II"u8.CopyTo(head);
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(2), 42);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(4), 8);
        for (var i = 0; i < directories.Length; i++)
        {
            var p = offsets[i];
            BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(p), (ushort)directories[i].Length);
            p += 2;
            foreach (var e in directories[i].OrderBy(e => e.Tag))
            {
                BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(p), e.Tag);
                BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(p + 2), e.Type);
                BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(p + 4), e.Count);
                if (e.PointsTo is { } target)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(p + 8), (uint)offsets[target]);
                }
                else if (e.Value.Length <= 4)
                {
                    e.Value.CopyTo(head, p + 8);
                }
                else
                {
                    if (data.Count % 2 == 1)
                    {
                        data.Add(0);
                    }
                    BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(p + 8), (uint)(at + data.Count));
                    data.AddRange(e.Value);
                }
                p += 12;
            }
        }
        return [.. head, .. data];
    }

    /// <summary>EXIF as a phone writes it: capture time (with an offset if given), GPS position, an orientation if given.</summary>
    public static byte[] CameraExif(string taken, string? offset, ushort? orientation = null)
    {
        var ifd0 = new List<Entry> { Entry.Directory(0x8769, 1), Entry.Directory(0x8825, 2) };
        if (orientation is { } o)
        {
            ifd0.Add(Entry.UInt16Value(0x0112, o));
        }
        var exif = new List<Entry> { Entry.Ascii(0x9003, taken) };
        if (offset is not null)
        {
            exif.Add(Entry.Ascii(0x9011, offset));
        }
        Entry[] gps =
        [
            Entry.Ascii(0x0001, "N"), Entry.Rationals(0x0002, (23, 1), (53, 1), (1234, 100)),
            Entry.Ascii(0x0003, "E"), Entry.Rationals(0x0004, (100, 1), (5, 1), (678, 100)),
        ];
        return Tiff([.. ifd0], [.. exif], gps);
    }

    /// <summary>The JPEG segments before the picture data (SOS): their markers (0xE1 is APP1, where EXIF and XMP live).</summary>
    public static List<byte> HeaderMarkers(byte[] jpeg)
    {
        var markers = new List<byte>();
        var at = 2;
        while (at + 4 <= jpeg.Length && jpeg[at] == 0xFF && jpeg[at + 1] != 0xDA)
        {
            markers.Add(jpeg[at + 1]);
            at += 2 + ((jpeg[at + 2] << 8) | jpeg[at + 3]);
        }
        return markers;
    }

    /// <summary>
    /// A decompression bomb: a valid PNG header declaring <paramref name="side"/>×<paramref name="side"/> pixels
    /// with a few bytes of compressed zeros behind it.
    /// </summary>
    public static byte[] PngBomb(int side = 50_000)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)side);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)side);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // truecolour
        Chunk(png, "IHDR", ihdr);
        using var zeros = new MemoryStream();
        using (var z = new ZLibStream(zeros, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            z.Write(new byte[64 * 1024]);
        }
        Chunk(png, "IDAT", zeros.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A Windows program's first bytes ("MZ", the DOS stub's message), whatever name it is sent under.</summary>
    public static byte[] Exe()
    {
        var exe = new byte[4096];
        exe[0] = (byte)'M';
        exe[1] = (byte)'Z';
        Encoding.ASCII.GetBytes("This program cannot be run in DOS mode.").CopyTo(exe, 0x4E);
        return exe;
    }

    private static void Chunk(Stream png, string type, byte[] body)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)body.Length);
        png.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(body).ToArray();
        png.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        png.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }
        return ~crc;
    }
}
