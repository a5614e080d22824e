using System.Text.Json;

namespace Switchboard.Providers.OpenAI;

/// <summary>Wire shape of a Responses <c>response</c> object (the fields read); output items stay JSON so they can go back verbatim.</summary>
internal sealed class OpenAIResponsesResponse
{
    public string? Id { get; init; }
    public string? Model { get; init; }
    public long? CreatedAt { get; init; }
    public string? Status { get; init; }
    public List<JsonElement>? Output { get; init; }
    public OpenAIResponsesUsage? Usage { get; init; }
    public OpenAIResponsesIncomplete? IncompleteDetails { get; init; }
    public JsonElement? Error { get; init; }
}
