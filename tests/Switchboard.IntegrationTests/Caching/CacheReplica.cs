using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Caching;
using Switchboard.Redis;
using Switchboard.Chat;
using Switchboard.Tests.TestSupport;

namespace Switchboard.IntegrationTests.Caching;

/// <summary>One "gateway replica": its own service provider (own process-memory cache) over a shared Redis.</summary>
public sealed class CacheReplica : IAsyncDisposable
{
    public CacheReplica(string redis, string instanceName, LogSink? sink = null, double retrySeconds = 5)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Switchboard:Cache:Redis"] = redis,
            ["Switchboard:Cache:RedisInstanceName"] = instanceName,
            ["Switchboard:Cache:RedisRetrySeconds"] = retrySeconds.ToString(CultureInfo.InvariantCulture),
        }).Build();
        Services = new ServiceCollection()
            .AddLogging(b =>
            {
                if (sink is not null)
                {
                    b.AddProvider(sink);
                }
            })
            .AddSwitchboardCache(config)
            .AddSwitchboardRedis(config)
            .BuildServiceProvider();
        Client = new ContextProbe(new ChatClientBuilder(Provider).UseResponseCache().Build(Services));
    }

    public CountingChatClient Provider { get; } = new();

    public ServiceProvider Services { get; }

    public IChatClient Client { get; }

    public static List<ChatMessage> Prompt(string text) => [new(ChatRole.User, text)];

    public static ChatOptions Options() => new ChatOptions { ModelId = "smart", Temperature = 0 }
        .WithSwitchboard(new SwitchboardContext { Caller = new CallerIdentity("key-a", "key-a") });

    public Task<ChatResponse> AskAsync(string text, CancellationToken cancellationToken) =>
        Client.GetResponseAsync(Prompt(text), Options(), cancellationToken).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);

    public static string RedisKey(string instanceName, string text) =>
        instanceName + ResponseCacheKey.Compute(Prompt(text), Options(), "key-a");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Services.DisposeAsync();
    }
}
