namespace Switchboard.Chat;

/// <summary>
/// The original design's façade: <c>LLMRouter.generate(prompt, system_prompt, task_type, prefer_cost, fallback)</c>,
/// over the same router every other entry point uses.
/// </summary>
public interface ILlmRouter
{
    /// <summary>Generates one answer, routed by <paramref name="route"/>'s task, cost preference and fallback setting.</summary>
    Task<LlmResponse> GenerateAsync(string prompt, string? systemPrompt = null, RouteOptions? route = null,
        GenerationOptions? generation = null, CancellationToken cancellationToken = default);

    /// <summary>Streams an answer as text chunks; the last chunk carries the whole <see cref="LlmResponse"/>.</summary>
    IAsyncEnumerable<LlmStreamChunk> StreamAsync(string prompt, string? systemPrompt = null, RouteOptions? route = null,
        GenerationOptions? generation = null, CancellationToken cancellationToken = default);
}

/// <summary>Model and sampling settings for <see cref="ILlmRouter"/>.</summary>
public sealed record GenerationOptions
{
    /// <summary>A route, <c>provider/model</c> or catalog model; the default route when null.</summary>
    public string? Model { get; init; }
    public float? Temperature { get; init; }
    public int? MaxTokens { get; init; }
}

/// <summary>The original design's <c>LLMResponse(content, model, provider, tokens_used, cost)</c>, plus how it was routed.</summary>
public sealed record LlmResponse(string Content, string Model, string Provider, long TokensUsed, decimal? CostUsd, RoutingResult Routing)
{
    /// <summary>How the response cache treated the request (<see cref="Chat.CacheStatus"/>); null when no cache layer ran.</summary>
    public string? CacheStatus { get; init; }
}

/// <summary>A piece of a streamed answer; <see cref="Response"/> is set on the last one.</summary>
public sealed record LlmStreamChunk(string Content, LlmResponse? Response = null);
