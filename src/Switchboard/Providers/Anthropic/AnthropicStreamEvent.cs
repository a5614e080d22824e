namespace Switchboard.Providers.Anthropic;

/// <summary>The <c>data:</c> of one streamed event (every event type's fields in one shape), or an error body.</summary>
internal sealed class AnthropicStreamEvent
{
    public string? Type { get; set; }
    public AnthropicMessage? Message { get; set; }
    public int? Index { get; set; }
    public AnthropicContentBlock? ContentBlock { get; set; }
    public AnthropicDelta? Delta { get; set; }
    public AnthropicUsage? Usage { get; set; }
    public AnthropicError? Error { get; set; }
}
