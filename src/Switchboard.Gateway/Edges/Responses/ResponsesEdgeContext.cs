using System.Text.Json;

namespace Switchboard.Gateway.Edges.Responses;

/// <summary>
/// What a Responses request carries beyond the canonical request: the tool name table and the fields echoed in the
/// response object (OpenAI returns the request's settings with every response). Rides in <see cref="EdgeRequest.State"/>.
/// </summary>
internal sealed class ResponsesEdgeContext
{
    public ResponsesToolMap Tools { get; } = new();

    public string? Instructions { get; set; }

    /// <summary>The client's <c>tools</c>, <c>tool_choice</c>, <c>text</c> and <c>metadata</c> as sent (owned clones), echoed back.</summary>
    public JsonElement? ToolsJson { get; set; }

    public JsonElement? ToolChoiceJson { get; set; }

    public JsonElement? TextJson { get; set; }

    public JsonElement? MetadataJson { get; set; }

    public string? ReasoningEffort { get; set; }

    public string? ReasoningSummary { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public long? MaxOutputTokens { get; set; }

    public bool ParallelToolCalls { get; set; } = true;

    public bool Store { get; set; }

    public string? User { get; set; }

    public string? PromptCacheKey { get; set; }
}
