using ControlDropout.Web.Features.Operations;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.Data.Sqlite;

namespace ControlDropout.Web.Tests.Features.Operations;

[Trait("Provider", ServiceFactory.SqliteOnly)]
public sealed class NightlyBackupTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("controldropout-nightly-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private HashSet<string> Files() => [.. Directory.EnumerateFiles(_folder).Select(f => Path.GetFileName(f)!)];

    [Fact]
    public async Task Each_night_at_two_a_checked_backup_is_written_and_only_the_newest_Keep_of_its_own_files_stay()
    {
        using var factory = new ServiceFactory();
        factory.Settings["Backup:Folder"] = _folder;
        factory.Settings["Backup:Keep"] = "3";
        // Files the job did not make are never its to delete, even one named almost like its own.
        await File.WriteAllTextAsync(Path.Combine(_folder, "notes.txt"), "keep me");
        await File.WriteAllTextAsync(Path.Combine(_folder, "controldropout-manual.db"), "keep me too");
        await factory.LincangAsync();
        Files().Should().HaveCount(2, "nothing is written before 02:00");

        // The clock starts on 7 September at 09:00 in China: the first backup is due on the 8th at 02:00.
        for (var night = 8; night <= 12; night++)
        {
            factory.Clock.Advance(TimeSpan.FromDays(1));
            var expected = $"controldropout-202609{night:00}-0200.db";
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!Files().Contains(expected) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            Files().Should().Contain(expected);
            (await SqliteBackups.CheckAsync(Path.Combine(_folder, expected), CancellationToken.None)).Good.Should().BeTrue();
        }

        var kept = new[] { "controldropout-20260910-0200.db", "controldropout-20260911-0200.db", "controldropout-20260912-0200.db", "notes.txt", "controldropout-manual.db" };
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!Files().SetEquals(kept) && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }
        Files().Should().BeEquivalentTo(kept);
    }
}
