namespace Switchboard.Providers.Anthropic;

/// <summary>The <c>delta</c> of <c>content_block_delta</c> (text, tool input, thinking, signature) or of <c>message_delta</c> (stop reason).</summary>
internal sealed class AnthropicDelta
{
    public string? Type { get; set; }
    public string? Text { get; set; }
    public string? PartialJson { get; set; }
    public string? Thinking { get; set; }
    public string? Signature { get; set; }
    public string? StopReason { get; set; }
    public string? StopSequence { get; set; }
}
