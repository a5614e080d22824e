namespace Switchboard.Caching;

/// <summary>One piece of a cached answer, in order: text, reasoning text, or a function call.</summary>
public sealed record CachedPart
{
    /// <summary><c>text</c>, <c>reasoning</c> or <c>call</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The text of a text or reasoning part.</summary>
    public string? Text { get; init; }

    /// <summary>A reasoning part's opaque provider data (signature or encrypted reasoning).</summary>
    public string? Protected { get; init; }

    /// <summary>A function call's id.</summary>
    public string? CallId { get; init; }

    /// <summary>A function call's function name.</summary>
    public string? Name { get; init; }

    /// <summary>A function call's arguments as a JSON object.</summary>
    public string? Arguments { get; init; }

    public const string TextKind = "text";
    public const string ReasoningKind = "reasoning";
    public const string CallKind = "call";
}
