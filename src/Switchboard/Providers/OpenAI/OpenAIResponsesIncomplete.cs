namespace Switchboard.Providers.OpenAI;

/// <summary>Wire shape of <c>incomplete_details</c>: <c>max_output_tokens</c> or <c>content_filter</c>.</summary>
internal sealed class OpenAIResponsesIncomplete
{
    public string? Reason { get; init; }
}
