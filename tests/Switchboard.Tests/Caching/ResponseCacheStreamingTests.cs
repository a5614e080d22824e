using Microsoft.Extensions.AI;
using Switchboard.Caching;
using Switchboard.Chat;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Caching;

public sealed class ResponseCacheStreamingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<ChatResponseUpdate>> Collect(IAsyncEnumerable<ChatResponseUpdate> stream)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in stream)
        {
            updates.Add(update);
        }

        return updates;
    }

    [Fact]
    public async Task StreamedMiss_IsStored_AndAHitIsReplayedAsAStreamWithUsageLast()
    {
        using var h = new CacheHarness();
        h.Inner.OnStream = (_, _, token) => FakeChatClient.Stream(["The quick brown fox ", "jumps over ", "the lazy dog, again and again and again."], cancellationToken: token);

        var miss = await Collect(h.Client.GetStreamingResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct));
        var hit = await Collect(h.Client.GetStreamingResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct));

        Assert.Equal(1, h.Inner.Calls);
        Assert.Equal(CacheStatus.Miss, miss[0].GetCacheStatus());
        Assert.Equal(CacheStatus.Hit, hit[0].GetCacheStatus());
        Assert.Equal(miss.ToChatResponse().Text, hit.ToChatResponse().Text);
        Assert.True(hit.Count(u => u.Text.Length > 0) > 1, "text is replayed in several pieces");
        var last = hit[^1];
        Assert.Equal(ChatFinishReason.Stop, last.FinishReason);
        var usage = Assert.IsType<UsageContent>(last.Contents[^1]);
        Assert.Equal(3, usage.Details.OutputTokenCount);
        Assert.DoesNotContain(hit.Take(hit.Count - 1), u => u.Contents.OfType<UsageContent>().Any());
        Assert.Equal(CacheStatus.Hit, last.GetCacheStatus());
    }

    [Fact]
    public async Task NonStreamingAnswer_IsReplayedToAStreamingRequest_AndViceVersa()
    {
        using var h = new CacheHarness();
        h.Inner.OnResponse = (_, _, _) => Task.FromResult(CacheHarness.Routed("stored once", cost: 0.5m));
        await h.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct);

        var replay = await Collect(h.Client.GetStreamingResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct));

        Assert.Equal(1, h.Inner.Calls);
        Assert.Equal("from stored once", replay.ToChatResponse().Text);
        Assert.Equal(0.5m, replay[0].GetCacheSavedCostUsd());
        Assert.IsType<UsageContent>(replay[^1].Contents[^1]);

        h.Inner.OnStream = (_, _, token) => FakeChatClient.Stream(["streamed ", "answer"], cancellationToken: token);
        await Collect(h.Client.GetStreamingResponseAsync(CacheHarness.Hello("other"), CacheHarness.Ask(), Ct));
        var response = await h.Client.GetResponseAsync(CacheHarness.Hello("other"), CacheHarness.Ask(), Ct);
        Assert.Equal(CacheStatus.Hit, response.GetCacheStatus());
        Assert.Equal("streamed answer", response.Text);
        Assert.Equal(2, h.Inner.Calls);
    }

    [Fact]
    public async Task StreamFailingMidway_IsRethrown_AndNotCached()
    {
        using var h = new CacheHarness();
        h.Inner.OnStream = (_, _, token) => FakeChatClient.Stream(["a", "b", "c"], failAfter: 2, error: new IOException("cut"), cancellationToken: token);

        await Assert.ThrowsAsync<IOException>(() => Collect(h.Client.GetStreamingResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct)));
        h.Inner.OnStream = null;
        var next = await Collect(h.Client.GetStreamingResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct));

        Assert.Equal(CacheStatus.Miss, next[0].GetCacheStatus());
        Assert.Equal(2, h.Inner.Calls);
    }

    [Fact]
    public async Task StreamWithoutFinishReason_IsTreatedAsTruncated_AndNotCached()
    {
        using var h = new CacheHarness();
        h.Inner.OnStream = (_, _, _) => Truncated();

        await Collect(h.Client.GetStreamingResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct));
        var next = await Collect(h.Client.GetStreamingResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct));

        Assert.Equal(CacheStatus.Miss, next[0].GetCacheStatus());
        Assert.Equal(2, h.Inner.Calls);

        static async IAsyncEnumerable<ChatResponseUpdate> Truncated()
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, "half an ans");
        }
    }

    [Fact]
    public async Task CancelledStream_IsNotCached()
    {
        using var h = new CacheHarness();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in h.Client.GetStreamingResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), cts.Token))
            {
                await cts.CancelAsync();
            }
        });

        var next = await Collect(h.Client.GetStreamingResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct));
        Assert.Equal(CacheStatus.Miss, next[0].GetCacheStatus());
        Assert.Equal(2, h.Inner.Calls);
    }

    [Fact]
    public async Task BypassedStream_IsMarkedAndNotStored()
    {
        using var h = new CacheHarness();
        var stream = await Collect(h.Client.GetStreamingResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(temperature: 1), Ct));
        var normal = await Collect(h.Client.GetStreamingResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct));

        Assert.Equal(CacheStatus.Bypass, stream[0].GetCacheStatus());
        Assert.Equal(CacheStatus.Miss, normal[0].GetCacheStatus());
    }
}
