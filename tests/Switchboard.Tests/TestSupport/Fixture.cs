using System.Text.Json.Nodes;

namespace Switchboard.Tests.TestSupport;

/// <summary>Reads fixture files copied beside the test assembly, and compares JSON documents structurally.</summary>
public static class Fixture
{
    /// <summary>The text of a fixture, by path relative to the test project (for example <c>Providers/OpenAI/Fixtures/chat.json</c>).</summary>
    public static string Read(string relativePath) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, relativePath.Replace('/', Path.DirectorySeparatorChar)));

    /// <summary>Whether two JSON texts are the same document (property order ignored, numbers compared by value).</summary>
    public static bool JsonEquals(string expected, string actual) =>
        JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual));
}
