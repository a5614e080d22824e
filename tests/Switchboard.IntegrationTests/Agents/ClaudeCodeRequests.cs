using System.Text.Json.Nodes;

namespace Switchboard.IntegrationTests.Agents;

/// <summary>Request bodies shaped like Claude Code's (AGENTS.md): cache marks, betas' fields, thinking, an image tool result.</summary>
internal static class ClaudeCodeRequests
{
    /// <summary>A 1×1 PNG.</summary>
    public const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    public const string PdfBase64 = "JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PD4+CmVuZG9iagp0cmFpbGVyCjw8Pj4KJSVFT0YK";

    public const string InMessagesSystemText = "Context from a system message inside messages.";

    public static JsonObject ToolLoop(string model, bool stream = true)
    {
        var ephemeral = new JsonObject { ["type"] = "ephemeral" };
        return new JsonObject
        {
            ["model"] = model,
            ["max_tokens"] = 32000,
            ["stream"] = stream,
            ["system"] = new JsonArray(
                new JsonObject { ["type"] = "text", ["text"] = "You are Claude Code, Anthropic's official CLI for Claude.", ["cache_control"] = ephemeral.DeepClone() },
                new JsonObject { ["type"] = "text", ["text"] = "You are an interactive CLI tool that helps users with software engineering tasks.", ["cache_control"] = new JsonObject { ["type"] = "ephemeral", ["ttl"] = "1h" } }),
            ["messages"] = new JsonArray(
                new JsonObject
                {
                    ["role"] = "user",
                    ["content"] = new JsonArray(
                        new JsonObject { ["type"] = "text", ["text"] = "<system-reminder>As you answer, use the context.</system-reminder>" },
                        new JsonObject { ["type"] = "text", ["text"] = "What is in screenshot.png?", ["cache_control"] = ephemeral.DeepClone() }),
                },
                new JsonObject
                {
                    ["role"] = "assistant",
                    ["content"] = new JsonArray(
                        new JsonObject { ["type"] = "thinking", ["thinking"] = "I should read the file.", ["signature"] = "EqQBCkYIBxgCKkBsig" },
                        new JsonObject { ["type"] = "redacted_thinking", ["data"] = "EmwKAhgBEgy3redacted" },
                        new JsonObject { ["type"] = "text", ["text"] = "Reading it." },
                        new JsonObject { ["type"] = "tool_use", ["id"] = "toolu_01", ["name"] = "Read", ["input"] = new JsonObject { ["file_path"] = "/repo/screenshot.png" } }),
                },
                new JsonObject
                {
                    ["role"] = "user",
                    ["content"] = new JsonArray(
                        new JsonObject
                        {
                            ["type"] = "tool_result",
                            ["tool_use_id"] = "toolu_01",
                            ["content"] = new JsonArray(
                                new JsonObject { ["type"] = "text", ["text"] = "Image read." },
                                new JsonObject
                                {
                                    ["type"] = "image",
                                    ["source"] = new JsonObject { ["type"] = "base64", ["media_type"] = "image/png", ["data"] = Png },
                                    ["cache_control"] = ephemeral.DeepClone(),
                                },
                                new JsonObject
                                {
                                    ["type"] = "document",
                                    ["source"] = new JsonObject { ["type"] = "base64", ["media_type"] = "application/pdf", ["data"] = PdfBase64 },
                                },
                                new JsonObject { ["type"] = "tool_reference", ["tool_name"] = "WebFetch" }),
                        },
                        new JsonObject { ["type"] = "text", ["text"] = "Describe it." }),
                },
                new JsonObject { ["role"] = "system", ["content"] = InMessagesSystemText }),
            ["tools"] = new JsonArray(
                new JsonObject
                {
                    ["name"] = "Read",
                    ["description"] = "Reads a file from the local filesystem.",
                    ["input_schema"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject { ["file_path"] = new JsonObject { ["type"] = "string" } },
                        ["required"] = new JsonArray("file_path"),
                        ["additionalProperties"] = false,
                        ["$schema"] = "http://json-schema.org/draft-07/schema#",
                    },
                },
                new JsonObject
                {
                    ["name"] = "WebFetch",
                    ["description"] = "Fetches a URL.",
                    ["input_schema"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["url"] = new JsonObject { ["type"] = "string" } } },
                    ["defer_loading"] = true,
                    ["cache_control"] = ephemeral.DeepClone(),
                }),
            ["metadata"] = new JsonObject { ["user_id"] = "user_abc_account__session_123" },
            ["thinking"] = new JsonObject { ["type"] = "adaptive", ["display"] = "omitted" },
            ["context_management"] = new JsonObject { ["edits"] = new JsonArray(new JsonObject { ["type"] = "clear_thinking_20251015", ["keep"] = "all" }) },
            ["output_config"] = new JsonObject { ["effort"] = "high" },
            ["some_future_field"] = new JsonObject { ["x"] = 1 },
        };
    }
}
