namespace Switchboard.Providers.Anthropic;

/// <summary>The <c>error</c> of an error body or an in-stream <c>error</c> event: <c>{"type", "message"}</c>.</summary>
internal sealed class AnthropicError
{
    public string? Type { get; set; }
    public string? Message { get; set; }
}
