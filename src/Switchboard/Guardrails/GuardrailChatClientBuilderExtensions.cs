using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Pricing;

namespace Switchboard.Guardrails;

/// <summary>Adds the guardrails to a chat pipeline.</summary>
public static class GuardrailChatClientBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="GuardrailChatClient"/>, with options from <c>IOptions&lt;GuardrailOptions&gt;</c> (registered by
    /// <c>AddSwitchboardGuardrails</c>) or the defaults, adjusted by <paramref name="configure"/>. Put it before the
    /// response cache, so the cache sees the redacted prompt and blocked requests never reach it.
    /// </summary>
    public static ChatClientBuilder UseGuardrails(this ChatClientBuilder builder, Action<GuardrailOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var options = services.GetService<IOptions<GuardrailOptions>>()?.Value ?? new GuardrailOptions();
            configure?.Invoke(options);
            var factory = services.GetService<IHttpClientFactory>();
            var moderation = factory is not null && options.ContentFilter.Moderation is { Enabled: true, BaseUrl.Length: > 0 } m
                ? new ModerationClient(factory, m)
                : null;
            return new GuardrailChatClient(inner, options, moderation, services.GetService<TokenEstimator>(),
                services.GetService<ILogger<GuardrailChatClient>>());
        });
    }
}
