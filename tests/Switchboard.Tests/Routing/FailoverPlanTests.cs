using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Routing;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Routing;

/// <summary>
/// Failover as a new user meets it: the default route <c>auto</c>, default routing settings (one retry per deployment,
/// four attempts), a cold router, and a provider already down.
/// </summary>
public sealed class FailoverPlanTests
{
    private static RouterHarness Defaults() => new(o => o.Routing = new RoutingOptions());

    private static ChatOptions Code(string model = "auto") => RouterHarness.Ask(model, new RouteOptions { Task = TaskTypes.CodeGeneration });

    private static Task<ChatResponse> Overloaded() =>
        Task.FromException<ChatResponse>(new ProviderException(ProviderErrorKind.Overloaded, "Overloaded", "anthropic", 529));

    [Fact(Timeout = 30_000)]
    public async Task Plan_ProviderOverloaded_NextAttemptIsAnotherProvider()
    {
        var h = Defaults();
        h.Anthropic.OnResponse = (_, _, _) => Overloaded();

        var response = await h.Router.GetResponseAsync(RouterHarness.Hello, Code(), TestContext.Current.CancellationToken);

        var attempts = response.GetRoutingResult()!.Attempts;
        Assert.Equal(["anthropic/claude-sonnet-4-6", "openai/gpt-4.1"], attempts.Select(a => a.Deployment.Name));
        Assert.Equal("from openai", response.Text);
        Assert.Equal(1, h.Anthropic.Calls); // neither retried nor its second deployment tried before another provider
    }

    [Fact(Timeout = 30_000)]
    public async Task Plan_TwoOfThreeProvidersDown_FirstRequestSucceeds()
    {
        var h = Defaults();
        h.Anthropic.OnResponse = (_, _, _) => Overloaded();
        h.OpenAI.OnResponse = (_, _, _) => RouterHarness.Fail(ProviderErrorKind.Network);

        var response = await h.Router.GetResponseAsync(RouterHarness.Hello, Code(), TestContext.Current.CancellationToken);

        Assert.Equal("from gemini", response.Text);
        Assert.Equal(["anthropic", "openai", "gemini"], response.GetRoutingResult()!.Attempts.Select(a => a.Deployment.Provider));
    }

    [Fact(Timeout = 30_000)]
    public async Task Plan_AllProvidersDown_EachTriedOnceBeforeAnyTwice()
    {
        var h = Defaults();
        h.Anthropic.OnResponse = (_, _, _) => Overloaded();
        h.OpenAI.OnResponse = (_, _, _) => RouterHarness.Fail(ProviderErrorKind.ServerError, status: 500);
        h.Gemini.OnResponse = (_, _, _) => RouterHarness.Fail(ProviderErrorKind.Network);

        var call = h.Router.GetResponseAsync(RouterHarness.Hello, Code(), TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<RoutingFailedException>(() => AdvanceUntil(h, call, TimeSpan.FromSeconds(30)));

        var providers = error.Attempts.Select(a => a.Deployment.Provider).ToList();
        Assert.Equal(["anthropic", "openai", "gemini"], providers.Take(3));
        Assert.Equal(new RoutingOptions().MaxAttempts, providers.Count);
        Assert.False(error.StoppedOnNonRetryable);
    }

    [Fact(Timeout = 30_000)]
    public async Task Plan_OnlyProviderFailsOnce_SameDeploymentRetried()
    {
        var h = Defaults();
        var calls = 0;
        h.OpenAI.OnResponse = (_, o, _) => Interlocked.Increment(ref calls) == 1
            ? RouterHarness.Fail(ProviderErrorKind.Overloaded, status: 503)
            : Task.FromResult(FakeChatClient.Answer("openai", o?.ModelId));

        var call = h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask("openai/gpt-4.1"), TestContext.Current.CancellationToken);
        await AdvanceUntil(h, call, TimeSpan.FromSeconds(10)); // the retry's backoff runs on the fake clock
        var response = await call;

        Assert.Equal("from openai", response.Text);
        Assert.Equal(2, h.OpenAI.Calls);
    }

    [Fact(Timeout = 30_000)]
    public async Task Plan_ProviderOverloaded_ItsOtherDeploymentsGoLast()
    {
        var h = Defaults();
        h.Anthropic.OnResponse = (_, _, _) => Overloaded();
        h.OpenAI.OnResponse = (_, _, _) => RouterHarness.Fail(ProviderErrorKind.ServerError, status: 500);
        h.Gemini.OnResponse = (_, _, _) => RouterHarness.Fail(ProviderErrorKind.ServerError, status: 500);
        var call = h.Router.GetResponseAsync(RouterHarness.Hello, Code(), TestContext.Current.CancellationToken);
        var result = await Assert.ThrowsAsync<RoutingFailedException>(() => AdvanceUntil(h, call, TimeSpan.FromSeconds(30)));

        // After anthropic, openai and gemini each failed once, the fourth attempt is anthropic's second deployment
        // (demoted to the back after the first failure), not a retry of gemini's.
        Assert.Equal(["anthropic/claude-sonnet-4-6", "openai/gpt-4.1", "gemini/gemini-2.5-pro", "anthropic/claude-haiku-4-5"],
            result.Attempts.Select(a => a.Deployment.Name));
    }

    [Fact(Timeout = 30_000)]
    public async Task Plan_EveryProviderTriedAndShortRetryAfter_RetriesSameDeployment()
    {
        var h = Defaults();
        h.Anthropic.OnResponse = (_, _, _) => Overloaded();
        h.OpenAI.OnResponse = (_, _, _) => RouterHarness.Fail(ProviderErrorKind.ServerError, status: 500);
        var geminiCalls = 0;
        h.Gemini.OnResponse = (_, o, _) => Interlocked.Increment(ref geminiCalls) == 1
            ? RouterHarness.Fail(ProviderErrorKind.RateLimited, TimeSpan.FromSeconds(1), 429)
            : Task.FromResult(FakeChatClient.Answer("gemini", o?.ModelId));

        var call = h.Router.GetResponseAsync(RouterHarness.Hello, Code(), TestContext.Current.CancellationToken);
        await AdvanceUntil(h, call, TimeSpan.FromSeconds(30));
        var response = await call;

        Assert.Equal("from gemini", response.Text);
        Assert.Equal(["anthropic", "openai", "gemini", "gemini"], response.GetRoutingResult()!.Attempts.Select(a => a.Deployment.Provider));
        Assert.Equal(response.GetRoutingResult()!.Attempts[2].Deployment, response.GetRoutingResult()!.Attempts[3].Deployment);
    }

    [Fact(Timeout = 30_000)]
    public async Task Generate_SlowerThanAttemptTimeout_FailsOverWithTimeout()
    {
        var h = Defaults();
        h.OpenAI.OnResponse = async (_, _, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return FakeChatClient.Answer("never", null);
        };

        var call = h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask(), TestContext.Current.CancellationToken);
        await AdvanceUntil(h, call, TimeSpan.FromSeconds(new RoutingOptions().AttemptTimeoutSeconds + 1));
        var response = await call;

        Assert.Equal("from anthropic", response.Text);
        Assert.Equal(ProviderErrorKind.Timeout, response.GetRoutingResult()!.Attempts[0].ErrorKind);
    }

    [Fact(Timeout = 30_000)]
    public async Task Generate_ReasoningModelAnswersAfterNineMinutes_IsNotCut()
    {
        var h = Defaults();
        h.OpenAI.OnResponse = async (_, o, ct) =>
        {
            await Task.Delay(TimeSpan.FromMinutes(9), h.Time, ct);
            return FakeChatClient.Answer("openai", o?.ModelId);
        };

        var call = h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask(), TestContext.Current.CancellationToken);
        await AdvanceUntil(h, call, TimeSpan.FromMinutes(10));

        Assert.Equal("from openai", (await call).Text);
    }

    /// <summary>Moves fake time forward a second at a time until the call ends or <paramref name="limit"/> has passed.</summary>
    internal static async Task AdvanceUntil(RouterHarness h, Task call, TimeSpan limit)
    {
        var start = h.Time.GetUtcNow();
        while (!call.IsCompleted && h.Time.GetUtcNow() - start < limit)
        {
            await Task.Delay(1, TestContext.Current.CancellationToken); // let the router's continuations run on real threads
            h.Time.Advance(TimeSpan.FromSeconds(1));
        }

        await call.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }
}
