using System.Text.Json.Nodes;

namespace Switchboard.Emulator;

/// <summary>What the reply generator needs from a request, whatever its protocol.</summary>
internal sealed class ChatCall
{
    public required string Protocol { get; init; }
    public required string Model { get; init; }
    public bool Stream { get; init; }
    public bool IncludeUsage { get; init; }
    public int MessageCount { get; init; }
    public bool HasSystem { get; init; }
    public int ImageCount { get; init; }
    public string LastUserText { get; init; } = "";

    /// <summary>Set when the last message is a tool result: a short description of it.</summary>
    public string? LastToolResult { get; init; }

    /// <summary>All text of the request (system, messages, tool definitions), for token counting.</summary>
    public string PromptText { get; init; } = "";
    public int? MaxTokens { get; init; }
    public IReadOnlyList<string> StopSequences { get; init; } = [];
    public bool JsonMode { get; init; }
    public JsonNode? JsonSchema { get; init; }
    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];

    /// <summary>True when the request forces a tool call.</summary>
    public bool ForceTool { get; init; }

    /// <summary>When forcing, the tool names allowed (empty = any offered tool).</summary>
    public IReadOnlyList<string> AllowedTools { get; init; } = [];

    /// <summary>What only an OpenAI Responses request carries (reasoning, hosted tools, custom tools); null for other protocols.</summary>
    public ResponsesCallInfo? Responses { get; init; }

    /// <summary>Prompt tokens: the text plus a small per-message overhead and a flat cost per image.</summary>
    public int PromptTokens => EmulatorTokenizer.Count(PromptText) + (3 * MessageCount) + 3 + (85 * ImageCount);
}

/// <summary>A tool offered by the request: its name and JSON schema.</summary>
internal sealed record ToolDefinition(string Name, JsonNode? Schema);
