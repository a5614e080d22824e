using System.Text.Json;

namespace Switchboard.Gateway.Edges.Responses;

/// <summary>
/// What a Responses request carries beyond the canonical request: the tool name table and the fields echoed in the
/// response object (OpenAI returns the request's settings with every response), and the stored-response state: its id,
/// owner, <c>previous_response_id</c> and the client's input as sent. Rides in <see cref="EdgeRequest.State"/>.
/// </summary>
internal sealed class ResponsesEdgeContext
{
    /// <summary>Switchboard's own id for this response, minted here (never the client's request id, never an upstream id).</summary>
    public string ResponseId { get; } = "resp_" + Switchboard.Chat.RequestIds.New();

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

    /// <summary>Whether the response is to be stored: the request's <c>store</c> (true when absent, as in OpenAI's API), false when storing is off.</summary>
    public bool Store { get; set; } = true;

    /// <summary>The request's <c>previous_response_id</c>: that response's input and output items precede this input.</summary>
    public string? PreviousResponseId { get; set; }

    /// <summary>The request's <c>input</c> as sent (an owned clone), stored as this response's input items.</summary>
    public JsonElement? Input { get; set; }

    /// <summary>The earlier turns' items (the previous response's input items, then its output items) as a JSON array; null without a previous response.</summary>
    public byte[]? PriorItems { get; set; }

    /// <summary>Who made the request (a virtual key's id, <c>master</c> or <c>local</c>): the owner of the stored response.</summary>
    public string? Owner { get; set; }

    public string? User { get; set; }

    public string? PromptCacheKey { get; set; }
}
