namespace Switchboard.Providers.Gemini;

/// <summary>A <c>:countTokens</c> reply: <c>{"totalTokens": N, ...}</c>.</summary>
internal sealed record GeminiTokenCount(long? TotalTokens);
