using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Routing;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Routing;

/// <summary>Circuit breaker, retries and hedging on a fake clock: nothing here sleeps.</summary>
public sealed class ResilienceTests
{
    private static RouterHarness SingleDeployment(Action<Switchboard.Hosting.SwitchboardOptions>? configure = null) => new(o =>
    {
        var only = new RouteDefinition();
        only.Targets.Add("openai/gpt-4.1");
        o.Models["only"] = only;
        configure?.Invoke(o);
    });

    [Fact]
    public async Task Breaker_OpensAfterThreeFailures_HalfOpensAfterBreak_ClosesOnSuccessfulProbe()
    {
        var h = SingleDeployment();
        var deployment = h.Deployment("openai", "gpt-4.1");
        var failing = true;
        h.OpenAI.OnResponse = (_, o, _) => failing ? RouterHarness.Fail(ProviderErrorKind.ServerError) : Task.FromResult(FakeChatClient.Answer("openai", o?.ModelId));

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<RoutingFailedException>(() => h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask("only")));
        }

        Assert.Equal("open", h.Resilience.CircuitState(deployment));
        await Assert.ThrowsAsync<RoutingFailedException>(() => h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask("only")));
        Assert.Equal(3, h.OpenAI.Calls); // rejected by the open circuit without a call

        h.Time.Advance(TimeSpan.FromSeconds(61));
        failing = false;
        var response = await h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask("only"));

        Assert.Equal("from openai", response.Text);
        Assert.Equal(4, h.OpenAI.Calls);
        Assert.Equal("closed", h.Resilience.CircuitState(deployment));
    }

    [Fact]
    public async Task Breaker_FailedProbe_Reopens()
    {
        var h = SingleDeployment();
        var deployment = h.Deployment("openai", "gpt-4.1");
        h.OpenAI.OnResponse = (_, _, _) => RouterHarness.Fail(ProviderErrorKind.Overloaded);
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<RoutingFailedException>(() => h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask("only")));
        }

        h.Time.Advance(TimeSpan.FromSeconds(61));
        await Assert.ThrowsAsync<RoutingFailedException>(() => h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask("only")));

        Assert.Equal(4, h.OpenAI.Calls);
        Assert.Equal("open", h.Resilience.CircuitState(deployment));
    }

    [Fact]
    public async Task Breaker_OpenDeployment_GoesLastInPlansWhileOthersHealthy()
    {
        var h = new RouterHarness();
        h.OpenAI.OnResponse = (_, _, _) => RouterHarness.Fail(ProviderErrorKind.ServerError);
        for (var i = 0; i < 3; i++)
        {
            await h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask());
        }

        var response = await h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask());

        Assert.Equal(3, h.OpenAI.Calls);
        Assert.Single(response.GetRoutingResult()!.Attempts);
        Assert.Equal("from anthropic", response.Text);
    }

    [Fact]
    public async Task Breaker_OpenDeployment_ListedAsSkippedWhenEveryCandidateFails()
    {
        var h = new RouterHarness();
        h.OpenAI.OnResponse = (_, _, _) => RouterHarness.Fail(ProviderErrorKind.ServerError);
        for (var i = 0; i < 3; i++)
        {
            await h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask());
        }

        h.Anthropic.OnResponse = (_, _, _) => RouterHarness.Fail(ProviderErrorKind.Overloaded, status: 529);
        h.Gemini.OnResponse = (_, _, _) => RouterHarness.Fail(ProviderErrorKind.Network);
        var error = await Assert.ThrowsAsync<RoutingFailedException>(() => h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask()));

        Assert.Equal(3, h.OpenAI.Calls); // the open circuit refused without a call
        var last = error.Attempts[^1];
        Assert.Equal(("openai/gpt-4.1", AttemptOutcome.Skipped), (last.Deployment.Name, last.Outcome));
        Assert.Contains("openai/gpt-4.1: skipped", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Breaker_CallerCancellations_DoNotTripIt()
    {
        var h = SingleDeployment();
        h.OpenAI.OnResponse = async (_, _, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return FakeChatClient.Answer("never", null);
        };

        for (var i = 0; i < 5; i++)
        {
            using var cts = new CancellationTokenSource();
            var call = h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask("only"), cts.Token);
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        }

        Assert.Equal("closed", h.Resilience.CircuitState(h.Deployment("openai", "gpt-4.1")));
        Assert.All(h.Attempts, a => Assert.Equal(AttemptOutcome.Cancelled, a.Outcome));
    }

    [Fact]
    public async Task Retry_HonoursRetryAfter_OnTheFakeClock()
    {
        var h = SingleDeployment(o => o.Routing.Retry.MaxRetries = 1);
        h.OpenAI.OnResponse = (_, o, _) => h.OpenAI.Calls == 1
            ? RouterHarness.Fail(ProviderErrorKind.RateLimited, TimeSpan.FromSeconds(2), 429)
            : Task.FromResult(FakeChatClient.Answer("openai", o?.ModelId));

        var call = h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask("only"));
        await WaitUntil(() => h.OpenAI.Calls == 1);
        h.Time.Advance(TimeSpan.FromSeconds(1.9));
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(call.IsCompleted);
        Assert.Equal(1, h.OpenAI.Calls);

        h.Time.Advance(TimeSpan.FromSeconds(0.2));
        var response = await call.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal("from openai", response.Text);
        Assert.Equal(2, h.OpenAI.Calls);
    }

    [Fact]
    public async Task Retry_LongRetryAfter_MovesToNextCandidateInstead()
    {
        var h = new RouterHarness(o => o.Routing.Retry.MaxRetries = 2);
        h.OpenAI.OnResponse = (_, _, _) => RouterHarness.Fail(ProviderErrorKind.RateLimited, TimeSpan.FromSeconds(30), 429);

        var response = await h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask());

        Assert.Equal("from anthropic", response.Text);
        Assert.Equal(1, h.OpenAI.Calls);
    }

    [Fact]
    public async Task Retry_BudgetSpent_NoMoreRetries()
    {
        var h = SingleDeployment(o =>
        {
            o.Routing.Retry.MaxRetries = 3;
            o.Routing.Retry.BaseDelayMs = 0;
            o.Routing.Retry.BudgetMinimum = 1;
            o.Routing.Retry.BudgetPercent = 0;
            o.Routing.CircuitBreaker.MinimumThroughput = 1000;
        });
        h.OpenAI.OnResponse = (_, _, _) => RouterHarness.Fail(ProviderErrorKind.ServerError);

        await Assert.ThrowsAsync<RoutingFailedException>(() => h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask("only")));
        Assert.Equal(2, h.OpenAI.Calls); // the first call and the one retry the budget allows

        await Assert.ThrowsAsync<RoutingFailedException>(() => h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask("only")));
        Assert.Equal(3, h.OpenAI.Calls); // budget spent: no retry at all
    }

    [Fact]
    public async Task Hedging_SlowPrimary_SecondCandidateWinsAndPrimaryIsCancelled()
    {
        var h = new RouterHarness(o => o.Models["main"].HedgeDelayMs = 200);
        var primaryCancelled = new TaskCompletionSource();
        h.OpenAI.OnResponse = async (_, _, ct) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                primaryCancelled.TrySetResult();
                throw;
            }

            return FakeChatClient.Answer("never", null);
        };

        var call = h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask());
        await WaitUntil(() => h.OpenAI.Calls == 1);
        Assert.Equal(0, h.Anthropic.Calls);
        h.Time.Advance(TimeSpan.FromMilliseconds(200));
        var response = await call.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal("from anthropic", response.Text);
        await primaryCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(0, h.Gemini.Calls);
    }

    [Fact]
    public void HedgeAtP95_UsesTheFirstCandidatesMeasuredP95_OnceItHasEnoughSamples_ElseTheConfiguredDelay()
    {
        var h = new RouterHarness(o =>
        {
            o.Models["main"].HedgeAtP95 = true;
            o.Models["main"].HedgeDelayMs = 1500;
        });
        var first = h.Planner.Plan(h.Table.Resolve("main"), RouterHarness.Hello, RouterHarness.Ask(), new RouteOptions());
        Assert.Equal(TimeSpan.FromMilliseconds(1500), first.HedgeDelay); // no samples yet
        var deployment = first.Candidates[0];

        for (var i = 1; i <= 100; i++)
        {
            h.Health.OnAttempt(new AttemptRecord
            {
                RequestId = "r" + i, AttemptNumber = 1, StartedAt = h.Time.GetUtcNow(), Deployment = deployment,
                Outcome = AttemptOutcome.Success, Duration = TimeSpan.FromMilliseconds(i * 10),
            });
        }

        var measured = h.Planner.Plan(h.Table.Resolve("main"), RouterHarness.Hello, RouterHarness.Ask(), new RouteOptions());
        Assert.Equal(TimeSpan.FromMilliseconds(950), measured.HedgeDelay); // 95th of 10, 20, ..., 1000 ms
    }

    [Fact]
    public void Pipeline_FirstUseFromManyThreadsAtOnce_BuildsOnePipelinePerDeployment()
    {
        // Polly's registry may run the factory twice for one key under a race; the circuit's shared state provider
        // then refused the second build ("already initialized"), failing the first concurrent requests with 502.
        for (var round = 0; round < 50; round++)
        {
            using var resilience = new Switchboard.Resilience.DeploymentResilience(new RoutingOptions(),
                new Dictionary<string, Switchboard.Providers.ProviderOptions>(), TimeProvider.System);
            var deployment = new Deployment("openai", "openai", "gpt-4.1", null);
            using var start = new Barrier(8);
            var pipelines = new Polly.ResiliencePipeline[8];
            Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            {
                start.SignalAndWait(TestContext.Current.CancellationToken);
                pipelines[i] = resilience.Pipeline(deployment);
            });
            Assert.All(pipelines, p => Assert.Same(pipelines[0], p));
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(condition());
    }
}
