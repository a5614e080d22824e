using System.ClientModel;
using System.Diagnostics;
using System.Text;
using OpenAI;
using OpenAI.Chat;
using StackExchange.Redis;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>The response cache through real gateways sharing a real Redis: coalescing, sharing, stream replay.</summary>
public sealed class GatewayCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<GatewayFixture> StartAsync(string redis, string instance) =>
        GatewayFixture.StartAsync(c =>
        {
            c["Switchboard:Cache:Redis"] = redis;
            c["Switchboard:Cache:RedisInstanceName"] = instance;
        });

    private static StringContent Body(string prompt) => new(
        $$"""{"model":"openai/gpt-4.1","temperature":0,"messages":[{"role":"user","content":"{{prompt}}"}]}""",
        Encoding.UTF8, "application/json");

    [Fact]
    public async Task FiftyConcurrentIdentical_OneProviderCall_ThenAHitOnAnotherReplica_AndAStreamReplayTheSdkParses()
    {
        var redis = Caching.RedisResponseCacheTests.RequireRedis();
        var instance = $"sbgw:{Guid.NewGuid():N}:";
        var prompt = $"capital of France {Guid.NewGuid():N}";
        await using var a = await StartAsync(redis, instance);
        await using var b = await StartAsync(redis, instance);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            using var response = await a.Http.PostAsync("v1/chat/completions", Body(prompt), Ct);
            return (response.StatusCode, Cache: response.Headers.GetValues("x-switchboard-cache").Single(),
                Text: await response.Content.ReadAsStringAsync(Ct));
        }));

        Assert.All(responses, r => Assert.Equal(System.Net.HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, a.Emulator.RequestCount); // one provider call for fifty requests
        Assert.Equal(49, responses.Count(r => r.Cache == "hit"));
        Assert.Single(responses, r => r.Cache == "miss");

        // Replica B: its process memory is empty, so a hit can only come from Redis (written after A answered).
        Assert.True(await AnyKeyAsync(redis, instance, TimeSpan.FromSeconds(10)), "replica A's answer never reached Redis");
        using (var fromB = await b.Http.PostAsync("v1/chat/completions", Body(prompt), Ct))
        {
            Assert.Equal("hit", fromB.Headers.GetValues("x-switchboard-cache").Single());
        }

        Assert.Equal(0, b.Emulator.RequestCount);

        // The same request streamed through the official OpenAI SDK: replayed from the cache as a valid stream with usage.
        var chat = new ChatClient("openai/gpt-4.1", new ApiKeyCredential(GatewayFixture.MasterKey),
            new OpenAIClientOptions { Endpoint = new Uri(b.BaseUrl, "v1"), NetworkTimeout = TimeSpan.FromSeconds(30) });
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage(prompt)],
            new ChatCompletionOptions { Temperature = 0 }, Ct))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage ??= update.Usage;
        }

        Assert.Contains("Emulated", text.ToString(), StringComparison.Ordinal);
        Assert.Contains(text.ToString().Replace("\"", "\\\"", StringComparison.Ordinal), responses[0].Text, StringComparison.Ordinal);
        Assert.NotNull(usage);
        Assert.True(usage.OutputTokenCount > 0);
        Assert.Equal(0, b.Emulator.RequestCount);
    }

    private static async Task<bool> AnyKeyAsync(string endpoint, string prefix, TimeSpan within)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"{endpoint},abortConnect=false,connectTimeout=1000");
        var server = redis.GetServers()[0];
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < within)
        {
            await foreach (var _ in server.KeysAsync(pattern: prefix + "*", pageSize: 10))
            {
                return true;
            }

            await Task.Delay(50, Ct);
        }

        return false;
    }
}
