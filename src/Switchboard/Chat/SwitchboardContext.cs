using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;
using Switchboard.Pricing;

namespace Switchboard.Chat;

/// <summary>
/// One request's Switchboard state, from the edge (or the library caller) through every layer of the pipeline and back:
/// who asks, the routing hints, the cache directive, the input token count (counted once), and what each layer did. It
/// travels in <see cref="ChatOptions.AdditionalProperties"/> under the single key <see cref="Key"/>; the client's own
/// pass-through wire fields stay beside it, never inside. Read the outcome (<see cref="Routing"/>, <see cref="Cache"/>,
/// <see cref="GuardrailsTriggered"/>) after the call returns, or after a stream's last update.
/// </summary>
public sealed class SwitchboardContext
{
    /// <summary>The one <see cref="ChatOptions.AdditionalProperties"/> key Switchboard owns.</summary>
    public const string Key = "switchboard.context";

    private readonly Lock _gate = new();
    private List<string>? _guardrails;
    private long _inputTokens = -1;
    private string? _requestId; // generated on first read when the caller gave none

    /// <summary>Correlates the request's attempts, ledger rows, logs and headers; generated when not given.</summary>
    public string RequestId
    {
        get => _requestId ?? Interlocked.CompareExchange(ref _requestId, RequestIds.New(), null) ?? _requestId;
        init => _requestId = value;
    }

    /// <summary>Who asks: a virtual key and what it may do. Null for the application itself (library, CLI, master key).</summary>
    public CallerIdentity? Caller { get; init; }

    /// <summary>Routing hints: task type, preference, fallback.</summary>
    public RouteOptions Route { get; set; } = RouteOptions.Default;

    /// <summary>What the request asks of the response cache; null is the configured default.</summary>
    public CacheRequestOptions? CacheRequest { get; set; }

    /// <summary>Whether the answer was asked for as a stream (set by the pipeline).</summary>
    public bool Streamed { get; internal set; }

    /// <summary>How the router served the request: deployment, attempts, usage and cost. Null when it was not routed
    /// (a cache hit, or refused before the router). On a stream, usage and cost are final after the last update.</summary>
    public RoutingResult? Routing { get; internal set; }

    /// <summary>How the response cache treated the request (<see cref="CacheStatus"/>); null when no cache layer ran.</summary>
    public string? CacheStatus { get; internal set; }

    /// <summary>The stored answer that served a cache hit (where it came from and what it saved).</summary>
    public CacheHit? Cache { get; internal set; }

    /// <summary>Guards that flagged or redacted something and let the request through, in name order.</summary>
    public IReadOnlyList<string> GuardrailsTriggered
    {
        get
        {
            lock (_gate)
            {
                return _guardrails is null ? [] : [.. _guardrails];
            }
        }
    }

    /// <summary>Input tokens prompt compaction removed (or would remove, in <c>flag</c> mode).</summary>
    public long? CompactionSavedTokens { get; internal set; }

    /// <summary>
    /// The request's input tokens by the o200k estimate, counted on first use and kept: the per-key limiter, the budget
    /// reservation, the planner and stream accounting share one count. Compaction replaces it when it shortens the prompt.
    /// </summary>
    public long InputTokens(TokenEstimator estimator, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var known = Interlocked.Read(ref _inputTokens);
        if (known >= 0)
        {
            return known;
        }

        var counted = estimator.CountInput(messages, options);
        Interlocked.Exchange(ref _inputTokens, counted);
        return counted;
    }

    /// <summary>The count already made, if any.</summary>
    public long? KnownInputTokens => Interlocked.Read(ref _inputTokens) is >= 0 and var n ? n : null;

    internal void SetInputTokens(long tokens) => Interlocked.Exchange(ref _inputTokens, tokens);

    internal void AddGuardrail(string guard)
    {
        lock (_gate)
        {
            _guardrails ??= [];
            var at = _guardrails.BinarySearch(guard, StringComparer.Ordinal);
            if (at < 0)
            {
                _guardrails.Insert(~at, guard);
            }
        }
    }

    /// <summary>The context on these options; null when none was attached.</summary>
    public static SwitchboardContext? Of(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(Key, out var value) == true ? value as SwitchboardContext : null;

    /// <summary>
    /// The context on <paramref name="options"/>, or a new one attached to a copy of them (the caller's options object is
    /// never changed, so options reused across calls never share a context).
    /// </summary>
    public static SwitchboardContext Ensure([NotNull] ref ChatOptions? options)
    {
        if (options is not null && Of(options) is { } existing)
        {
            return existing;
        }

        var context = new SwitchboardContext();
        options = options?.Clone() ?? new ChatOptions();
        (options.AdditionalProperties ??= [])[Key] = context;
        return context;
    }

    /// <summary>The context on embedding options (same key); null when none was attached.</summary>
    public static SwitchboardContext? Of(EmbeddingGenerationOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(Key, out var value) == true ? value as SwitchboardContext : null;

    /// <summary>The context on embedding options, or a new one attached to a copy of them (see <see cref="Ensure(ref ChatOptions?)"/>).</summary>
    public static SwitchboardContext Ensure([NotNull] ref EmbeddingGenerationOptions? options)
    {
        if (options is not null && Of(options) is { } existing)
        {
            return existing;
        }

        var context = new SwitchboardContext();
        options = options?.Clone() ?? new EmbeddingGenerationOptions();
        (options.AdditionalProperties ??= [])[Key] = context;
        return context;
    }
}

/// <summary>The caller of a request as the pipeline's policy sees it: identity for accounting, and what it may do.</summary>
/// <param name="Id">Stable id for logs and accounting (a virtual key's id, <c>master</c>, <c>local</c>, or an application's own).</param>
/// <param name="KeyId">The virtual key's id, when the caller used one (budgets, cache partition and ledger are per key).</param>
public sealed record CallerIdentity(string Id, string? KeyId = null)
{
    /// <summary>A display name for logs.</summary>
    public string? Name { get; init; }

    /// <summary>Models (routes or <c>provider/model</c> names, as requested) the caller may use; empty is any.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>Requests per minute allowed to this caller; null is unlimited.</summary>
    public int? Rpm { get; init; }

    /// <summary>Input tokens per minute allowed to this caller; null is unlimited.</summary>
    public int? Tpm { get; init; }

    /// <summary>Whether <paramref name="model"/> is in <see cref="Models"/> (or the list is empty).</summary>
    public bool Allows(string? model) =>
        Models.Count == 0 || (model is not null && Models.Contains(model, StringComparer.OrdinalIgnoreCase));
}

/// <summary>The stored answer behind a cache hit.</summary>
/// <param name="Provider">The provider that produced it.</param>
/// <param name="Model">The model that produced it.</param>
/// <param name="StoredAt">When it was stored.</param>
/// <param name="SavedCostUsd">What it cost when produced, saved by this hit.</param>
public sealed record CacheHit(string? Provider, string? Model, DateTimeOffset StoredAt, decimal? SavedCostUsd);
