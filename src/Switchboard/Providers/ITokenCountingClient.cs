using Microsoft.Extensions.AI;

namespace Switchboard.Providers;

/// <summary>
/// An optional capability of a provider adapter, found through <see cref="IChatClient.GetService"/>: the provider counts a
/// request's input tokens itself (Anthropic <c>count_tokens</c>, Gemini <c>:countTokens</c>, OpenAI
/// <c>responses/input_tokens</c>), exactly as it would bill them. Nothing is generated and nothing is billed.
/// </summary>
public interface ITokenCountingClient
{
    /// <summary>The provider's count of the input tokens of <paramref name="messages"/> with <paramref name="options"/>
    /// (model in <see cref="ChatOptions.ModelId"/>); throws a <see cref="Chat.ProviderException"/> when the provider fails.</summary>
    Task<long> CountTokensAsync(IEnumerable<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken);
}
