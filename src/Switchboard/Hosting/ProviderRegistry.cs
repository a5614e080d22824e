using System.Collections.Frozen;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Switchboard.Pricing;
using Switchboard.Providers;

namespace Switchboard.Hosting;

/// <summary>
/// The provider adapters by configured name, each over an <see cref="HttpClient"/> from <see cref="IHttpClientFactory"/>
/// (timeouts are the adapters' own, so the client's is off). Custom <see cref="IChatClient"/> providers registered with
/// <c>AddSwitchboardProvider</c> join them.
/// </summary>
public sealed class ProviderRegistry : IDisposable
{
    public const string HttpClientName = "switchboard.provider";

    public ProviderRegistry(IOptions<SwitchboardOptions> options, IHttpClientFactory httpClients, ModelCatalog catalog, TimeProvider time,
        IEnumerable<CustomProvider> custom)
    {
        var clients = new Dictionary<string, IChatClient>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, provider) in options.Value.Providers)
        {
            var http = httpClients.CreateClient(HttpClientName);
            http.Timeout = Timeout.InfiniteTimeSpan;
            provider.BaseUrl ??= ProviderDefaults.BaseUrlFor(provider.ResolveType(name));
            clients[name] = ProviderClientFactory.Create(name, provider, http, catalog, time);
        }

        foreach (var c in custom)
        {
            clients[c.Name] = c.Client;
        }

        Clients = clients.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyDictionary<string, IChatClient> Clients { get; }

    public void Dispose()
    {
        foreach (var client in Clients.Values)
        {
            client.Dispose();
        }
    }
}

/// <summary>A user-supplied <see cref="IChatClient"/> serving as a named provider of the given protocol type.</summary>
public sealed record CustomProvider(string Name, IChatClient Client);
