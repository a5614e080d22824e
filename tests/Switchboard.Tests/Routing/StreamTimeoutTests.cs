using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Chat;
using Switchboard.Routing;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Routing;

/// <summary>
/// Streams under default settings: failover stays invisible before the first content, a stream that keeps flowing is
/// never cut whatever its length, and only an operator-set <c>MaxStreamSeconds</c> caps one.
/// </summary>
public sealed class StreamTimeoutTests
{
    private static RouterHarness Defaults(Action<RoutingOptions>? configure = null) => new(o =>
    {
        o.Routing = new RoutingOptions();
        configure?.Invoke(o.Routing);
    });

    [Fact(Timeout = 30_000)]
    public async Task Stream_ProviderOverloaded_FailsOverToAnotherProviderInvisibly()
    {
        var h = Defaults();
        h.Anthropic.OnStream = (_, _, ct) => FakeChatClient.Stream(["never"], failAfter: 0,
            error: new ProviderException(ProviderErrorKind.Overloaded, "Overloaded", "anthropic", 529), cancellationToken: ct);
        h.OpenAI.OnStream = (_, _, ct) => FakeChatClient.Stream(["never"], failAfter: 0,
            error: new ProviderException(ProviderErrorKind.Network, "Connection refused", "openai"), cancellationToken: ct);

        var updates = await Collect(h.Router.GetStreamingResponseAsync(RouterHarness.Hello,
            RouterHarness.Ask("auto", new RouteOptions { Task = TaskTypes.CodeGeneration }), TestContext.Current.CancellationToken));

        Assert.Equal("from gemini", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(["anthropic", "openai", "gemini"], updates[^1].GetRoutingResult()!.Attempts.Select(a => a.Deployment.Provider));
    }

    [Fact(Timeout = 30_000)]
    public async Task Stream_SlowButFlowing_IsNotCut()
    {
        // One token a second for twenty minutes: longer than every attempt, first-token and idle timeout together.
        var h = Defaults();
        const int Tokens = 1200;
        h.OpenAI.OnStream = (_, _, ct) => Trickle(h.Time, Tokens, TimeSpan.FromSeconds(1), ct);

        var consume = Collect(h.Router.GetStreamingResponseAsync(RouterHarness.Hello, RouterHarness.Ask(), TestContext.Current.CancellationToken));
        await FailoverPlanTests.AdvanceUntil(h, consume, TimeSpan.FromSeconds(Tokens + 60));
        var updates = await consume;

        Assert.Equal(Tokens, updates.Count(u => u.Text == "tok"));
        var result = updates[^1].GetRoutingResult()!;
        Assert.Equal(AttemptOutcome.Success, Assert.Single(result.Attempts).Outcome);
    }

    [Fact(Timeout = 30_000)]
    public async Task Stream_NoContentWithinFirstTokenTimeout_FailsOverInvisibly()
    {
        var h = Defaults();
        h.OpenAI.OnStream = (_, _, ct) => Silent(ct);

        var consume = Collect(h.Router.GetStreamingResponseAsync(RouterHarness.Hello, RouterHarness.Ask(), TestContext.Current.CancellationToken));
        await FailoverPlanTests.AdvanceUntil(h, consume, TimeSpan.FromSeconds(new RoutingOptions().FirstTokenTimeoutSeconds + 5));
        var updates = await consume;

        Assert.Equal("from anthropic", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ProviderErrorKind.Timeout, updates[^1].GetRoutingResult()!.Attempts[0].ErrorKind);
    }

    [Fact(Timeout = 30_000)]
    public async Task Stream_OperatorSetMaxStreamSeconds_EndsFlowingStreamWithTimeout()
    {
        var h = Defaults(r => r.MaxStreamSeconds = 30);
        h.OpenAI.OnStream = (_, _, ct) => Trickle(h.Time, 120, TimeSpan.FromSeconds(1), ct);

        var consume = Collect(h.Router.GetStreamingResponseAsync(RouterHarness.Hello, RouterHarness.Ask(), TestContext.Current.CancellationToken));
        var advance = FailoverPlanTests.AdvanceUntil(h, consume, TimeSpan.FromSeconds(90));

        var error = await Assert.ThrowsAsync<ProviderException>(() => advance);
        Assert.Equal(ProviderErrorKind.Timeout, error.Kind);
        Assert.True(error.OutputCommitted);
        Assert.Contains("MaxStreamSeconds", error.Message, StringComparison.Ordinal);
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

    private static async IAsyncEnumerable<ChatResponseUpdate> Trickle(FakeTimeProvider time, int tokens, TimeSpan every,
        [EnumeratorCancellation] CancellationToken ct)
    {
        yield return new ChatResponseUpdate(ChatRole.Assistant, (string?)null);
        for (var i = 0; i < tokens; i++)
        {
            await Task.Delay(every, time, ct);
            yield return new ChatResponseUpdate(ChatRole.Assistant, "tok");
        }

        yield return new ChatResponseUpdate
        {
            FinishReason = ChatFinishReason.Stop,
            Contents = [new UsageContent(new UsageDetails { InputTokenCount = 10, OutputTokenCount = tokens, TotalTokenCount = 10 + tokens })],
        };
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> Silent([EnumeratorCancellation] CancellationToken ct)
    {
        yield return new ChatResponseUpdate(ChatRole.Assistant, (string?)null); // the role, then nothing
        await Task.Delay(Timeout.InfiniteTimeSpan, ct);
    }
}
