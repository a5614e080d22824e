namespace Switchboard.Providers.OpenAI;

/// <summary>Wire shape of one choice: <c>message</c> in a reply, <c>delta</c> in a stream chunk.</summary>
internal sealed class OpenAIChoice
{
    public int Index { get; init; }
    public OpenAIMessage? Message { get; init; }
    public OpenAIMessage? Delta { get; init; }
    public string? FinishReason { get; init; }
}
