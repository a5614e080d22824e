using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Caching;
using Switchboard.Chat;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Caching;

/// <summary>A response cache over a <see cref="FakeChatClient"/>, with the real HybridCache from <c>AddSwitchboardCache</c>.</summary>
public sealed class CacheHarness : IDisposable
{
    public CacheHarness(Action<CacheOptions>? configure = null, Dictionary<string, string?>? configuration = null)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(configuration ?? []).Build();
        Services = new ServiceCollection().AddLogging().AddSwitchboardCache(config).BuildServiceProvider();
        Client = new ContextProbe(new ChatClientBuilder(new RoutedFake(Inner)).UseResponseCache(configure: configure).Build(Services));
    }

    public FakeChatClient Inner { get; } = new("provider");

    public ServiceProvider Services { get; }

    public IChatClient Client { get; }

    public static List<ChatMessage> Hello(string text = "hello") => [new(ChatRole.User, text)];

    /// <summary>Deterministic options (temperature 0) for a tenant.</summary>
    public static ChatOptions Ask(string tenant = "key-a", float? temperature = 0, CacheRequestOptions? cache = null)
    {
        return new ChatOptions { ModelId = "smart", Temperature = temperature }
            .WithSwitchboard(new SwitchboardContext { Caller = new CallerIdentity(tenant, tenant), CacheRequest = cache });
    }

    /// <summary>An answer carrying a router result with a cost, as the router attaches it.</summary>
    public static ChatResponse Routed(string text, decimal cost = 0.25m, ChatFinishReason? finish = null)
    {
        var response = FakeChatClient.Answer(text, "gpt-4.1");
        response.FinishReason = finish ?? ChatFinishReason.Stop;
        var result = new RoutingResult { RequestId = "r1", Route = "smart" };
        result.Deployment = new Deployment("openai", "openai", "gpt-4.1", null);
        result.CostUsd = cost;
        RoutedFake.Results.AddOrUpdate(response, result);
        return response;
    }

    /// <summary>Plays the router's part for <see cref="Routed"/> answers: their result goes into the request's context.</summary>
    private sealed class RoutedFake(IChatClient inner) : DelegatingChatClient(inner)
    {
        public static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ChatResponse, RoutingResult> Results = new();

        public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default)
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken);
            if (Results.TryGetValue(response, out var result) && SwitchboardContext.Of(options) is { } context)
            {
                context.Routing = result;
            }

            return response;
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        Services.Dispose();
    }
}
