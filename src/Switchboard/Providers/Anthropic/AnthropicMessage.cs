namespace Switchboard.Providers.Anthropic;

/// <summary>A Messages API reply (<c>"type": "message"</c>), also the <c>message</c> of a stream's <c>message_start</c>.</summary>
internal sealed class AnthropicMessage
{
    public string? Id { get; set; }
    public string? Model { get; set; }
    public List<AnthropicContentBlock>? Content { get; set; }
    public string? StopReason { get; set; }
    public string? StopSequence { get; set; }
    public AnthropicUsage? Usage { get; set; }
}
