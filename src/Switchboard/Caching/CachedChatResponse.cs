using System.ComponentModel;

namespace Switchboard.Caching;

/// <summary>
/// The compact, serializable form of a cached answer: its parts, finish reason, usage, and who answered at what cost
/// (as plain fields). Immutable, so the in-process cache shares one instance instead of copying it per read.
/// </summary>
[ImmutableObject(true)]
public sealed record CachedChatResponse
{
    /// <summary>The entry format; entries of another version are ignored.</summary>
    public int Version { get; init; } = ResponseCacheKey.FormatVersion;

    public IReadOnlyList<CachedPart> Parts { get; init; } = [];

    /// <summary>The finish reason's value (<c>stop</c>, <c>length</c>, <c>tool_calls</c>).</summary>
    public string? FinishReason { get; init; }

    /// <summary>The model id the response reported.</summary>
    public string? ModelId { get; init; }

    public CachedUsage? Usage { get; init; }

    /// <summary>The provider that answered (from the router's result).</summary>
    public string? Provider { get; init; }

    /// <summary>The deployment model that answered (from the router's result).</summary>
    public string? DeploymentModel { get; init; }

    /// <summary>What the answer cost when it was computed.</summary>
    public decimal? CostUsd { get; init; }

    /// <summary>When the answer was stored.</summary>
    public DateTimeOffset StoredAt { get; init; }
}
