using Switchboard.Chat;

namespace Switchboard.Providers;

/// <summary>A request's input token count and who made it.</summary>
/// <param name="Tokens">The count.</param>
/// <param name="Source"><see cref="ProviderTokenCount.FromProvider"/> or <see cref="ProviderTokenCount.FromEstimate"/>.</param>
/// <param name="Deployment">The deployment whose provider counted; null for the estimate.</param>
public sealed record ProviderTokenCount(long Tokens, string Source, Deployment? Deployment)
{
    /// <summary>The upstream provider counted (its own tokenizer).</summary>
    public const string FromProvider = "provider";

    /// <summary>The gateway's o200k tokenizer estimated.</summary>
    public const string FromEstimate = "estimate";
}
