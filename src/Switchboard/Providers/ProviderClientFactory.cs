using Microsoft.Extensions.AI;
using Switchboard.Pricing;
using Switchboard.Providers.Anthropic;
using Switchboard.Providers.Gemini;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Providers;

/// <summary>Creates the adapter for a configured provider: one line per protocol.</summary>
internal static class ProviderClientFactory
{
    public static IChatClient Create(string name, ProviderOptions options, HttpClient http, ModelCatalog catalog, TimeProvider time) =>
        options.ResolveType(name) switch
        {
            ProviderTypes.OpenAI or ProviderTypes.OpenAICompatible or ProviderTypes.AzureOpenAI => new OpenAIChatClient(name, options, http, catalog, time),
            ProviderTypes.Anthropic => new AnthropicChatClient(name, options, http, catalog, time),
            ProviderTypes.Gemini => new GeminiChatClient(name, options, http, catalog, time),
            var type => throw new InvalidOperationException($"Switchboard:Providers:{name}:Type '{type}' is not supported."),
        };
}
