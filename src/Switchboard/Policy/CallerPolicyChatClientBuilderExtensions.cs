using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Pricing;

namespace Switchboard.Policy;

/// <summary>Adds the caller's policy (model allowlist, per-caller limits) to a chat pipeline.</summary>
public static class CallerPolicyChatClientBuilderExtensions
{
    /// <summary>Adds <see cref="CallerPolicyChatClient"/>; put it before budgets and guardrails, so a refused request costs nothing.</summary>
    public static ChatClientBuilder UseCallerPolicy(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new CallerPolicyChatClient(inner, services.GetRequiredService<CallerRateLimiter>(),
            services.GetRequiredService<TokenEstimator>()));
    }
}
