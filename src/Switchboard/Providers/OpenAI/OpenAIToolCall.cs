namespace Switchboard.Providers.OpenAI;

/// <summary>Wire shape of a tool call; in a stream, one piece of it (matched by <see cref="Index"/>).</summary>
internal sealed class OpenAIToolCall
{
    public int? Index { get; init; }
    public string? Id { get; init; }
    public string? Type { get; init; }
    public OpenAIFunctionCall? Function { get; init; }
}
