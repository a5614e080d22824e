using Microsoft.Extensions.AI;
using Switchboard.Caching;
using Switchboard.Chat;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Caching;

public sealed class ResponseCacheChatClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Identical_Requests_MissThenHit_WithSavedCostAndOriginalProvider()
    {
        using var h = new CacheHarness();
        h.Inner.OnResponse = (_, _, _) => Task.FromResult(CacheHarness.Routed("answer", cost: 0.25m));

        var first = await h.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct);
        var second = await h.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct);

        Assert.Equal(CacheStatus.Miss, first.GetCacheStatus());
        Assert.Equal(CacheStatus.Hit, second.GetCacheStatus());
        Assert.Equal(1, h.Inner.Calls);
        Assert.Equal(first.Text, second.Text);
        Assert.Equal(0.25m, second.GetCacheSavedCostUsd());
        Assert.Equal("openai", second.GetContext()!.Cache!.Provider);
        Assert.Equal(ChatFinishReason.Stop, second.FinishReason);
        Assert.Equal(15, second.Usage!.TotalTokenCount);
    }

    [Fact]
    public async Task Failure_IsRethrown_AndNotCached()
    {
        using var h = new CacheHarness();
        var fail = true;
        h.Inner.OnResponse = (_, _, _) => fail ? throw new InvalidOperationException("upstream down") : Task.FromResult(CacheHarness.Routed("ok"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => h.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct));
        fail = false;
        var next = await h.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct);

        Assert.Equal("upstream down", error.Message);
        Assert.Equal(CacheStatus.Miss, next.GetCacheStatus());
        Assert.Equal(2, h.Inner.Calls);
    }

    [Fact]
    public async Task Cancellation_IsNotCached()
    {
        using var h = new CacheHarness();
        var block = true;
        h.Inner.OnResponse = async (_, _, token) =>
        {
            if (block)
            {
                await Task.Delay(Timeout.Infinite, token);
            }

            return CacheHarness.Routed("ok");
        };

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var pending = h.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), cts.Token);
        await WaitUntil(() => h.Inner.Calls == 1);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);

        block = false;
        var next = await h.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct);
        Assert.Equal(CacheStatus.Miss, next.GetCacheStatus());
        Assert.Equal(2, h.Inner.Calls);
    }

    [Fact]
    public async Task ContentFiltered_IsServed_ButNotCached()
    {
        using var h = new CacheHarness();
        h.Inner.OnResponse = (_, _, _) => Task.FromResult(CacheHarness.Routed("[filtered]", finish: ChatFinishReason.ContentFilter));

        var first = await h.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct);
        var second = await h.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct);

        Assert.Equal(ChatFinishReason.ContentFilter, first.FinishReason);
        Assert.Equal(CacheStatus.Miss, second.GetCacheStatus());
        Assert.Equal(2, h.Inner.Calls);
    }

    [Fact]
    public async Task Oversized_IsNotCached()
    {
        using var h = new CacheHarness(o => o.MaxEntryBytes = 1000);
        h.Inner.OnResponse = (_, _, _) => Task.FromResult(CacheHarness.Routed(new string('x', 2000)));

        await h.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct);
        var second = await h.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct);

        Assert.Equal(CacheStatus.Miss, second.GetCacheStatus());
        Assert.Equal(2, h.Inner.Calls);
    }

    [Fact]
    public async Task NoStore_NeitherReadsNorWrites()
    {
        using var h = new CacheHarness();
        var noStore = CacheHarness.Ask(cache: new CacheRequestOptions { Directive = CacheDirective.NoStore });

        var first = await h.Client.GetResponseAsync(CacheHarness.Hello(), noStore, Ct);
        var normal = await h.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct);
        var again = await h.Client.GetResponseAsync(CacheHarness.Hello(), noStore, Ct);

        Assert.Equal(CacheStatus.Bypass, first.GetCacheStatus());
        Assert.Equal(CacheStatus.Miss, normal.GetCacheStatus()); // no-store wrote nothing
        Assert.Equal(CacheStatus.Bypass, again.GetCacheStatus()); // and does not read what is there
        Assert.Equal(3, h.Inner.Calls);
    }

    [Fact]
    public async Task NoCache_SkipsTheRead_AndStoresTheFreshAnswer()
    {
        using var h = new CacheHarness();
        var version = 1;
        h.Inner.OnResponse = (_, _, _) => Task.FromResult(CacheHarness.Routed("v" + version));
        await h.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct);

        version = 2;
        var refreshed = await h.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(cache: new CacheRequestOptions { Directive = CacheDirective.NoCache }), Ct);
        var after = await h.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct);

        Assert.Equal(CacheStatus.Bypass, refreshed.GetCacheStatus());
        Assert.Equal("from v2", refreshed.Text);
        Assert.Equal(CacheStatus.Hit, after.GetCacheStatus());
        Assert.Equal("from v2", after.Text);
        Assert.Equal(2, h.Inner.Calls);
    }

    [Fact]
    public async Task NonDeterministic_Bypasses_UnlessOptedIn()
    {
        using var h = new CacheHarness();
        var warm = CacheHarness.Ask(temperature: 0.7f);
        var optIn = CacheHarness.Ask(temperature: 0.7f, cache: new CacheRequestOptions { Directive = CacheDirective.OptIn });

        var bypass = await h.Client.GetResponseAsync(CacheHarness.Hello(), warm, Ct);
        await h.Client.GetResponseAsync(CacheHarness.Hello(), optIn, Ct);
        var hit = await h.Client.GetResponseAsync(CacheHarness.Hello(), optIn, Ct);

        Assert.Equal(CacheStatus.Bypass, bypass.GetCacheStatus());
        Assert.Equal(CacheStatus.Hit, hit.GetCacheStatus());
        Assert.Equal(2, h.Inner.Calls);
    }

    [Fact]
    public async Task Tenants_DoNotShareEntries_UnlessANamespaceIsConfigured()
    {
        using var h = new CacheHarness();
        await h.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask("key-a"), Ct);
        var other = await h.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask("key-b"), Ct);
        Assert.Equal(CacheStatus.Miss, other.GetCacheStatus());

        using var shared = new CacheHarness(o => o.Namespace = "everyone");
        await shared.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask("key-a"), Ct);
        var joined = await shared.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask("key-b"), Ct);
        Assert.Equal(CacheStatus.Hit, joined.GetCacheStatus());
    }

    [Fact]
    public async Task FunctionCalls_AreCachedAndReplayed()
    {
        using var h = new CacheHarness();
        h.Inner.OnResponse = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant,
            [new FunctionCallContent("call_1", "lookup", new Dictionary<string, object?> { ["city"] = "Paris", ["days"] = 3 })]))
        {
            FinishReason = ChatFinishReason.ToolCalls,
        });

        await h.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct);
        var hit = await h.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct);

        var call = Assert.IsType<FunctionCallContent>(Assert.Single(hit.Messages.Single().Contents));
        Assert.Equal(CacheStatus.Hit, hit.GetCacheStatus());
        Assert.Equal(("call_1", "lookup"), (call.CallId, call.Name));
        Assert.Equal("Paris", call.Arguments!["city"]!.ToString());
        Assert.Equal("3", call.Arguments!["days"]!.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, hit.FinishReason);
    }

    [Fact]
    public async Task FiftyConcurrentIdenticalRequests_MakeOneProviderCall()
    {
        using var h = new CacheHarness();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = 0;
        h.Inner.OnResponse = async (_, _, _) =>
        {
            await gate.Task;
            return CacheHarness.Routed("shared");
        };

        var requests = Enumerable.Range(0, 50).Select(_ => Task.Run(() =>
        {
            Interlocked.Increment(ref entered);
            return h.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct);
        }, Ct)).ToArray();
        await WaitUntil(() => Volatile.Read(ref entered) == 50 && h.Inner.Calls == 1);
        await Task.Delay(200, Ct); // let every request reach the cache while the one provider call is held at the gate
        gate.SetResult();
        var responses = await Task.WhenAll(requests).WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Equal(1, h.Inner.Calls);
        Assert.All(responses, r => Assert.Equal("from shared", r.Text));
        Assert.Equal(1, responses.Count(r => r.GetCacheStatus() == CacheStatus.Miss));
        Assert.Equal(49, responses.Count(r => r.GetCacheStatus() == CacheStatus.Hit));
    }

    [Fact]
    public async Task ConcurrentIdenticalRequests_ShareAFailure_AndNothingIsCached()
    {
        using var h = new CacheHarness();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Inner.OnResponse = async (_, _, _) =>
        {
            await gate.Task;
            throw new InvalidOperationException("boom");
        };

        var requests = Enumerable.Range(0, 5).Select(_ => Task.Run(() => h.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct), Ct)).ToArray();
        await WaitUntil(() => h.Inner.Calls == 1);
        await Task.Delay(100, Ct);
        gate.SetResult();
        foreach (var request in requests)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => request);
        }

        h.Inner.OnResponse = (_, _, _) => Task.FromResult(CacheHarness.Routed("ok"));
        var next = await h.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct);
        Assert.Equal(CacheStatus.Miss, next.GetCacheStatus());
    }

    [Fact]
    public async Task ProviderCall_RunsInTheCallersExecutionContext()
    {
        using var h = new CacheHarness();
        var local = new AsyncLocal<string>();
        string? seen = null;
        h.Inner.OnResponse = (_, _, _) =>
        {
            seen = local.Value;
            return Task.FromResult(CacheHarness.Routed("ok"));
        };

        local.Value = "request-42";
        await h.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct);

        Assert.Equal("request-42", seen); // so tracing (Activity.Current) and scopes reach the provider call
    }

    [Fact]
    public async Task Disabled_Bypasses()
    {
        using var h = new CacheHarness(o => o.Enabled = false);
        await h.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct);
        var second = await h.Client.GetResponseAsync(CacheHarness.Hello(), CacheHarness.Ask(), Ct);

        Assert.Equal(CacheStatus.Bypass, second.GetCacheStatus());
        Assert.Equal(2, h.Inner.Calls);
    }

    internal static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
