using System.Text.Json.Nodes;

namespace Switchboard.Emulator;

/// <summary>Builds the simplest value that satisfies a JSON schema's types, enums and required properties.</summary>
internal static class ToolArgumentGenerator
{
    private const int MaxDepth = 8;

    public static JsonObject ForObject(JsonNode? schema) =>
        Generate(schema, 0) as JsonObject ?? [];

    public static JsonNode? Generate(JsonNode? schema, int depth)
    {
        if (schema is not JsonObject s || depth > MaxDepth)
        {
            return new JsonObject();
        }

        if (s["const"] is { } constant)
        {
            return constant.DeepClone();
        }

        if (s["enum"] is JsonArray { Count: > 0 } values)
        {
            return values[0]?.DeepClone();
        }

        foreach (var combinator in (string[])["anyOf", "oneOf", "allOf"])
        {
            if (s[combinator] is JsonArray { Count: > 0 } options)
            {
                return Generate(options.FirstOrDefault(o => TypeOf(o as JsonObject) != "null") ?? options[0], depth + 1);
            }
        }

        return TypeOf(s) switch
        {
            "string" => "emulated",
            "number" => 1,
            "integer" => 1,
            "boolean" => true,
            "null" => null,
            "array" => Array(s, depth),
            _ => Object(s, depth),
        };
    }

    private static JsonArray Array(JsonObject schema, int depth)
    {
        var result = new JsonArray();
        if (JsonText.Int(schema["minItems"]) is > 0)
        {
            result.Add(Generate(schema["items"], depth + 1));
        }

        return result;
    }

    private static JsonObject Object(JsonObject schema, int depth)
    {
        var result = new JsonObject();
        if (schema["required"] is not JsonArray required)
        {
            return result;
        }

        var properties = schema["properties"] as JsonObject;
        foreach (var name in required.Select(r => JsonText.Str(r)).OfType<string>())
        {
            result[name] = Generate(properties?[name], depth + 1);
        }

        return result;
    }

    private static string? TypeOf(JsonObject? schema)
    {
        var type = schema?["type"] switch
        {
            JsonArray types => types.Select(t => JsonText.Str(t)).FirstOrDefault(t => t is not null && !t.Equals("null", StringComparison.OrdinalIgnoreCase)),
            var t => JsonText.Str(t),
        };
        if (type is null && schema?["properties"] is not null)
        {
            type = "object";
        }

        return type?.ToLowerInvariant();
    }
}
