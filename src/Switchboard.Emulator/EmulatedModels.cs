using System.Text.Json.Nodes;

namespace Switchboard.Emulator;

/// <summary>The model lists the emulator advertises, in each provider's listing shape. Any model id is accepted anyway.</summary>
internal static class EmulatedModels
{
    private const long Created = 1_735_689_600; // 2025-01-01T00:00:00Z

    private static readonly string[] s_openAI = ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o4-mini"];
    private static readonly (string Id, string Name)[] s_anthropic =
    [
        ("claude-sonnet-4-6", "Claude Sonnet 4.6"), ("claude-haiku-4-5", "Claude Haiku 4.5"), ("claude-opus-4-1", "Claude Opus 4.1"),
    ];
    private static readonly (string Id, string Name)[] s_gemini =
    [
        ("gemini-2.5-flash", "Gemini 2.5 Flash"), ("gemini-2.5-pro", "Gemini 2.5 Pro"), ("gemini-2.5-flash-lite", "Gemini 2.5 Flash-Lite"),
    ];

    public static JsonObject OpenAI() => new()
    {
        ["object"] = "list",
        ["data"] = new JsonArray([.. s_openAI.Select(id => (JsonNode)new JsonObject
        {
            ["id"] = id, ["object"] = "model", ["created"] = Created, ["owned_by"] = "emulator", ["shutdown_date"] = null,
        })]),
    };

    public static JsonObject Anthropic() => new()
    {
        ["data"] = new JsonArray([.. s_anthropic.Select(m => (JsonNode)new JsonObject
        {
            ["type"] = "model", ["id"] = m.Id, ["display_name"] = m.Name, ["created_at"] = "2025-01-01T00:00:00Z",
            ["max_input_tokens"] = 200_000, ["max_tokens"] = 64_000,
        })]),
        ["has_more"] = false,
        ["first_id"] = s_anthropic[0].Id,
        ["last_id"] = s_anthropic[^1].Id,
    };

    public static JsonObject Gemini() => new()
    {
        ["models"] = new JsonArray([.. s_gemini.Select(m => (JsonNode)new JsonObject
        {
            ["name"] = "models/" + m.Id, ["version"] = "001", ["displayName"] = m.Name, ["description"] = "Emulated model",
            ["inputTokenLimit"] = 1_048_576, ["outputTokenLimit"] = 65_536,
            ["supportedGenerationMethods"] = new JsonArray("generateContent", "countTokens"),
        })]),
    };
}
