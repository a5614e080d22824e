using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Routing;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Routing;

public sealed class StreamingFailoverTests
{
    [Fact]
    public async Task Stream_EachChunkReachesTheCallerBeforeTheNextOneExists()
    {
        var h = new RouterHarness();
        var second = new TaskCompletionSource();
        h.OpenAI.OnStream = (_, _, ct) => Gated(second.Task, ct);

        await using var updates = h.Router.GetStreamingResponseAsync(RouterHarness.Hello, RouterHarness.Ask())
            .GetAsyncEnumerator(TestContext.Current.CancellationToken);

        // The upstream has produced only "first"; the caller must have it now, not when "second" arrives.
        Assert.True(await updates.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Equal("first", updates.Current.Text);
        Assert.Equal("openai/gpt-4.1", updates.Current.GetRoutingResult()!.Deployment!.Name);
        second.SetResult();
        var rest = new List<ChatResponseUpdate>();
        while (await updates.MoveNextAsync())
        {
            rest.Add(updates.Current);
        }

        Assert.Equal("second", string.Concat(rest.Select(u => u.Text)));
        Assert.Equal(3, rest[^1].GetRoutingResult()!.Usage!.OutputTokenCount); // filled in before the stream ended
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> Gated(Task gate,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        yield return new ChatResponseUpdate(ChatRole.Assistant, "first");
        await gate.WaitAsync(ct);
        yield return new ChatResponseUpdate(ChatRole.Assistant, "second") { FinishReason = ChatFinishReason.Stop };
        yield return new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 5, OutputTokenCount = 3 })] };
    }

    [Fact]
    public async Task Stream_FailsBeforeFirstChunk_FailsOverInvisibly()
    {
        var h = new RouterHarness();
        h.OpenAI.OnStream = (_, _, ct) => FakeChatClient.Stream(["never"], failAfter: 0,
            error: new ProviderException(ProviderErrorKind.Overloaded, "overloaded", "openai"), cancellationToken: ct);

        var updates = await Collect(h.Router.GetStreamingResponseAsync(RouterHarness.Hello, RouterHarness.Ask()));

        Assert.Equal("from anthropic", string.Concat(updates.Select(u => u.Text)));
        var result = updates[^1].GetRoutingResult()!;
        Assert.Equal("anthropic/claude-sonnet-4-6", result.Deployment!.Name);
        Assert.Equal([AttemptOutcome.Failed, AttemptOutcome.Success], result.Attempts.Select(a => a.Outcome));
        Assert.NotNull(result.Attempts[1].TimeToFirstToken);
        Assert.Equal(2, result.Usage!.OutputTokenCount);
    }

    [Fact]
    public async Task Stream_FailsAfterFirstChunk_SurfacesErrorWithPartialUsageAndNoFallback()
    {
        var h = new RouterHarness();
        var partial = new ProviderException(ProviderErrorKind.Network, "cut", "openai")
        {
            PartialUsage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 2 },
        };
        h.OpenAI.OnStream = (_, _, ct) => FakeChatClient.Stream(["a", "b", "c"], failAfter: 2, error: partial, cancellationToken: ct);

        var received = new List<string>();
        var error = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var update in h.Router.GetStreamingResponseAsync(RouterHarness.Hello, RouterHarness.Ask()))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal("ab", string.Concat(received));
        Assert.True(error.OutputCommitted);
        Assert.Equal(2, error.PartialUsage!.OutputTokenCount);
        Assert.Equal(0, h.Anthropic.Calls);
        var attempt = Assert.Single(h.Attempts);
        Assert.Equal(AttemptOutcome.Failed, attempt.Outcome);
        Assert.True(attempt.OutputCommitted);
        Assert.Equal(2, attempt.Usage!.OutputTokenCount);
    }

    [Fact]
    public async Task Stream_AllFailBeforeFirstChunk_ThrowsRoutingFailed()
    {
        var h = new RouterHarness();
        foreach (var fake in new[] { h.OpenAI, h.Anthropic, h.Gemini })
        {
            fake.OnStream = (_, _, ct) => FakeChatClient.Stream(["x"], failAfter: 0,
                error: new ProviderException(ProviderErrorKind.ServerError, "boom", fake.Name, 500), cancellationToken: ct);
        }

        var error = await Assert.ThrowsAsync<RoutingFailedException>(async () =>
            await Collect(h.Router.GetStreamingResponseAsync(RouterHarness.Hello, RouterHarness.Ask())));

        Assert.Equal(3, error.Attempts.Count);
    }

    [Fact]
    public async Task Stream_CallerCancelsMidStream_RecordedAsCancelled()
    {
        var h = new RouterHarness();
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in h.Router.GetStreamingResponseAsync(RouterHarness.Hello, RouterHarness.Ask(), cts.Token))
            {
                if (update.Text.Length > 0)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Equal(AttemptOutcome.Cancelled, Assert.Single(h.Attempts).Outcome);
        Assert.Equal("closed", h.Resilience.CircuitState(h.Deployment("openai", "gpt-4.1")));
    }

    private static async Task<List<ChatResponseUpdate>> Collect(IAsyncEnumerable<ChatResponseUpdate> stream)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (var update in stream)
        {
            list.Add(update);
        }

        return list;
    }
}
