using System.Diagnostics;
using System.Text.Json;

namespace ControlDropout.Web.Tests.Support;

/// <summary>Runs <c>tests/feeds-js/check.mjs</c>: Mozilla's ical.js under Node reads the feeds as a real client would.</summary>
public static class IcalJs
{
    public static string Folder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "feeds-js");
                if (File.Exists(Path.Combine(candidate, "check.mjs")))
                {
                    return candidate;
                }
            }
            throw new DirectoryNotFoundException("tests/feeds-js not found");
        }
    }

    public static async Task<JsonElement> ReadAsync(params string[] files)
    {
        var folder = Folder;
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "ical.js")))
        {
            throw new InvalidOperationException("ical.js is not installed: run tests/run.sh (it runs npm ci in tests/feeds-js)");
        }
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("check.mjs");
        foreach (var f in files)
        {
            start.ArgumentList.Add(f);
        }
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        var error = await process.StandardError.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ical.js could not read the feed: {error}");
        }
        return JsonDocument.Parse(output).RootElement.Clone();
    }
}
