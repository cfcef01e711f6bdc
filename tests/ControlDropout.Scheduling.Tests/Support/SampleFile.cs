using System.Text.Json.Nodes;

namespace ControlDropout.Scheduling.Tests.Support;

/// <summary>The contract's sample scenario, and edited copies of it for invalid-input tests.</summary>
internal static class SampleFile
{
    public static string Text => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Assets", "scenario-v1.sample.json"));

    public static string Edited(Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(Text)!.AsObject();
        edit(root);
        return root.ToJsonString();
    }
}
