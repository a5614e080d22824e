using System.Text.Json;

namespace Switchboard.Providers.OpenAI;

/// <summary>Wire shape of one Responses stream event (the fields read; dispatch is on <c>type</c>, the SSE event name is ignored).</summary>
internal sealed class OpenAIResponsesEvent
{
    public string? Type { get; init; }
    public string? Delta { get; init; }
    public JsonElement? Item { get; init; }
    public OpenAIResponsesResponse? Response { get; init; }

    /// <summary>An <c>error</c> event's fields (<c>code</c>, <c>message</c>, <c>param</c>) sit at the top level.</summary>
    public string? Code { get; init; }
    public string? Message { get; init; }
}
