using Switchboard.Pricing;
using Switchboard.Providers;
using Switchboard.Providers.OpenAI;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Providers.OpenAI;

/// <summary>Builds adapters over a <see cref="RecordingHandler"/>.</summary>
internal static class OpenAITestClients
{
    public const string ApiKey = "sk-test-4f9a8b7c6d5e4f3a2b1c";
    public const string Fixtures = "Providers/OpenAI/Fixtures/";

    private static readonly ModelCatalog Catalog = ModelCatalog.LoadEmbedded();

    public static OpenAIChatClient Create(RecordingHandler handler, ProviderOptions? options = null, string name = "openai",
        TimeProvider? time = null) =>
        new(name, options ?? new ProviderOptions { ApiKey = ApiKey }, handler.CreateClient(), Catalog, time ?? TimeProvider.System);
}
