using System.Text.Json;

namespace Switchboard.Providers.Gemini;

/// <summary>A <c>GenerateContentResponse</c>: a whole reply, or one slice of a stream. Only the fields the adapter reads.</summary>
internal sealed class GeminiResponse
{
    public List<GeminiCandidate>? Candidates { get; set; }
    public GeminiPromptFeedback? PromptFeedback { get; set; }
    public GeminiUsage? UsageMetadata { get; set; }
    public string? ModelVersion { get; set; }
    public string? ResponseId { get; set; }

    /// <summary>Set when the body (or a stream event) is a <c>google.rpc.Status</c> error instead of a reply.</summary>
    public JsonElement? Error { get; set; }
}
