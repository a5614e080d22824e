using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Pricing;

namespace Switchboard.Policy;

/// <summary>
/// The caller's policy as a pipeline layer: the models its key may use and its requests and tokens per minute. A request
/// without a <see cref="CallerIdentity"/> (the application itself) or whose caller has no limits passes untouched; the
/// prompt is counted only when a tokens-per-minute limit needs the count (and then once for the whole request).
/// </summary>
public sealed class CallerPolicyChatClient(IChatClient innerClient, CallerRateLimiter limiter, TokenEstimator estimator)
    : DelegatingChatClient(innerClient)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        await AdmitAsync(messages, options, cancellationToken).ConfigureAwait(false);
        return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await AdmitAsync(messages, options, cancellationToken).ConfigureAwait(false);
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    private async ValueTask AdmitAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        if (SwitchboardContext.Of(options) is not { Caller: { } caller } context)
        {
            return;
        }

        if (!caller.Allows(options!.ModelId))
        {
            throw new ModelNotAllowedException(options.ModelId);
        }

        if (caller.Rpm is null && caller.Tpm is null)
        {
            return;
        }

        var tokens = caller.Tpm is null ? 0 : context.InputTokens(estimator, messages, options);
        if (await limiter.TryAdmitAsync(caller, tokens, cancellationToken).ConfigureAwait(false) is { } retryAfter)
        {
            throw new CallerRateLimitedException(retryAfter);
        }
    }
}

/// <summary>The caller's key may not use the requested model (a 403 at the gateway).</summary>
public sealed class ModelNotAllowedException(string? model) : Exception($"This API key may not use the model '{model}'.")
{
    public string? Model { get; } = model;
}

/// <summary>The caller is over its requests or tokens per minute (a 429 with Retry-After at the gateway).</summary>
public sealed class CallerRateLimitedException(int retryAfterSeconds) : Exception("This API key is over its rate limit.")
{
    public int RetryAfterSeconds { get; } = retryAfterSeconds;
}
