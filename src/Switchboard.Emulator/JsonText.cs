using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchboard.Emulator;

/// <summary>Lenient readers for request JSON, and the SSE/JSON text helpers the protocols share.</summary>
internal static class JsonText
{
    public static string? Str(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static int? Int(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d) ? (int)Math.Min(d, int.MaxValue) : null;

    public static bool Bool(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    public static JsonObject? TryParseObject(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A string or an array of strings, as a list.</summary>
    public static List<string> Strings(JsonNode? node) => node switch
    {
        JsonArray a => [.. a.Select(Str).OfType<string>()],
        _ when Str(node) is { } s => [s],
        _ => [],
    };

    public static string Compact(JsonNode node) => node.ToJsonString();

    /// <summary>Appends text to a prompt buffer with a separator.</summary>
    public static void Append(StringBuilder prompt, string? text)
    {
        if (!string.IsNullOrEmpty(text))
        {
            prompt.Append(text).Append('\n');
        }
    }
}
