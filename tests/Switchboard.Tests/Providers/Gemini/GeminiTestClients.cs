using Switchboard.Pricing;
using Switchboard.Providers;
using Switchboard.Providers.Gemini;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Providers.Gemini;

/// <summary>Builds Gemini adapters over a <see cref="RecordingHandler"/>.</summary>
internal static class GeminiTestClients
{
    /// <summary>Not shaped like a Google key, so only the explicit scrub can hide it.</summary>
    public const string ApiKey = "gm-test-secret-9f8e7d6c5b4a";
    public const string Fixtures = "Providers/Gemini/Fixtures/";
    public const string Model = "gemini-2.5-flash";

    private static readonly ModelCatalog Catalog = ModelCatalog.LoadEmbedded();

    public static GeminiChatClient Create(RecordingHandler handler, ProviderOptions? options = null, TimeProvider? time = null) =>
        new("gemini", options ?? new ProviderOptions { ApiKey = ApiKey }, handler.CreateClient(), Catalog, time ?? TimeProvider.System);

    public static string Read(string fixture) => Fixture.Read(Fixtures + fixture);
}
