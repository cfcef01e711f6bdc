namespace ControlDropout.Cli.Tests.Commands;

/// <summary>A scratch folder that is removed after the test.</summary>
internal sealed class TempDir : IDisposable
{
    public DirectoryInfo Dir { get; } = Directory.CreateTempSubdirectory("controldropout-cli-tests-");

    public FileInfo File(string name) => new(Path.Combine(Dir.FullName, name));

    public FileInfo Write(string name, string text)
    {
        var file = File(name);
        System.IO.File.WriteAllText(file.FullName, text);
        return file;
    }

    public static string Sample => System.IO.File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Assets", "scenario-v1.sample.json"));

    public void Dispose() => Dir.Delete(recursive: true);
}
