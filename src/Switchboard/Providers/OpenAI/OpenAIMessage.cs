namespace Switchboard.Providers.OpenAI;

/// <summary>Wire shape of an assistant message or of a stream delta.</summary>
internal sealed class OpenAIMessage
{
    public string? Role { get; init; }
    public string? Content { get; init; }
    public string? Refusal { get; init; }

    /// <summary>Reasoning text sent by OpenAI-compatible servers (DeepSeek, vLLM); not part of OpenAI's own API.</summary>
    public string? ReasoningContent { get; init; }

    public List<OpenAIToolCall>? ToolCalls { get; init; }
}
