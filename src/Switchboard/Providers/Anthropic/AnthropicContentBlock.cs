using System.Text.Json;

namespace Switchboard.Providers.Anthropic;

/// <summary>One content block of a reply: <c>text</c>, <c>tool_use</c>, <c>thinking</c> or <c>redacted_thinking</c> (others are kept raw).</summary>
internal sealed class AnthropicContentBlock
{
    public string? Type { get; set; }
    public string? Text { get; set; }
    public string? Id { get; set; }
    public string? Name { get; set; }
    public JsonElement? Input { get; set; }
    public string? Thinking { get; set; }
    public string? Signature { get; set; }

    /// <summary>The encrypted payload of a <c>redacted_thinking</c> block.</summary>
    public string? Data { get; set; }
}
