using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Routing;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Routing;

public sealed class RouterChatClientTests
{
    [Fact]
    public async Task Generate_PrimaryHealthy_AnswersFromFirstInRouteOrder()
    {
        var h = new RouterHarness();

        var response = await h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask());

        Assert.Equal("from openai", response.Text);
        var result = response.GetRoutingResult()!;
        Assert.Equal("openai/gpt-4.1", result.Deployment!.Name);
        Assert.Single(result.Attempts);
        Assert.Equal(0, h.Anthropic.Calls);
        Assert.Equal("gpt-4.1", h.OpenAI.SeenOptions[0]!.ModelId);
        // 10 input and 5 output tokens at gpt-4.1's catalog prices (2.00 / 8.00 per million).
        Assert.Equal(10 * 2.00m / 1_000_000 + 5 * 8.00m / 1_000_000, result.CostUsd);
    }

    [Theory]
    [InlineData(ProviderErrorKind.Overloaded)]
    [InlineData(ProviderErrorKind.RateLimited)]
    [InlineData(ProviderErrorKind.ServerError)]
    [InlineData(ProviderErrorKind.Network)]
    [InlineData(ProviderErrorKind.Timeout)]
    [InlineData(ProviderErrorKind.QuotaExceeded)]
    [InlineData(ProviderErrorKind.Authentication)]
    [InlineData(ProviderErrorKind.Permission)]
    [InlineData(ProviderErrorKind.MalformedResponse)]
    public async Task Generate_PrimaryFailsForProviderReasons_FallsBackToNext(ProviderErrorKind kind)
    {
        var h = new RouterHarness();
        h.OpenAI.OnResponse = (_, _, _) => RouterHarness.Fail(kind);

        var response = await h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask());

        Assert.Equal("from anthropic", response.Text);
        var attempts = response.GetRoutingResult()!.Attempts;
        Assert.Equal(2, attempts.Count);
        Assert.Equal(AttemptOutcome.Failed, attempts[0].Outcome);
        Assert.Equal(kind, attempts[0].ErrorKind);
        Assert.Equal(AttemptOutcome.Success, attempts[1].Outcome);
        Assert.Equal(kind.ToString(), attempts[1].FallbackReason);
    }

    [Theory]
    [InlineData(ProviderErrorKind.InvalidRequest)]
    [InlineData(ProviderErrorKind.NotFound)]
    [InlineData(ProviderErrorKind.ContentFiltered)]
    public async Task Generate_RequestRefused_StopsWithoutFallback(ProviderErrorKind kind)
    {
        var h = new RouterHarness();
        h.OpenAI.OnResponse = (_, _, _) => RouterHarness.Fail(kind, status: 400);

        var error = await Assert.ThrowsAsync<RoutingFailedException>(() => h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask()));

        Assert.Equal(kind, error.LastError!.Kind);
        Assert.True(error.StoppedOnNonRetryable);
        Assert.Single(error.Attempts);
        Assert.Equal(0, h.Anthropic.Calls);
    }

    [Fact]
    public async Task Generate_ContextLengthExceeded_MovesOnlyToLargerWindow()
    {
        // gpt-4o (128k) fails with context length; claude-haiku-4-5 (200k) is larger, gpt-4o-mini (128k) is not.
        var h = new RouterHarness(o =>
        {
            var route = new Switchboard.Routing.RouteDefinition();
            route.Targets.Add("openai/gpt-4o");
            route.Targets.Add("openai/gpt-4o-mini");
            route.Targets.Add("anthropic/claude-haiku-4-5");
            o.Models["ctx"] = route;
        });
        h.OpenAI.OnResponse = (_, _, _) => RouterHarness.Fail(ProviderErrorKind.ContextLengthExceeded);

        var response = await h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask("ctx"));

        Assert.Equal("from anthropic", response.Text);
        Assert.Equal(1, h.OpenAI.Calls);
    }

    [Fact]
    public async Task Generate_FallbackOff_TriesOnlyFirst()
    {
        var h = new RouterHarness();
        h.OpenAI.OnResponse = (_, _, _) => RouterHarness.Fail(ProviderErrorKind.Overloaded);

        var error = await Assert.ThrowsAsync<RoutingFailedException>(() =>
            h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask(route: new RouteOptions { Fallback = false })));

        Assert.Single(error.Attempts);
        Assert.Equal(0, h.Anthropic.Calls + h.Gemini.Calls);
    }

    [Fact]
    public async Task Generate_AllFail_OneErrorListsEveryAttempt()
    {
        var h = new RouterHarness();
        h.OpenAI.OnResponse = (_, _, _) => RouterHarness.Fail(ProviderErrorKind.Overloaded, status: 529);
        h.Anthropic.OnResponse = (_, _, _) => RouterHarness.Fail(ProviderErrorKind.RateLimited, status: 429);
        h.Gemini.OnResponse = (_, _, _) => RouterHarness.Fail(ProviderErrorKind.ServerError, status: 500);

        var error = await Assert.ThrowsAsync<RoutingFailedException>(() => h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask()));

        Assert.Equal(["openai/gpt-4.1", "anthropic/claude-sonnet-4-6", "gemini/gemini-2.5-pro"], error.Attempts.Select(a => a.Deployment.Name));
        Assert.Equal([529, 429, 500], error.Attempts.Select(a => a.StatusCode ?? 0));
        Assert.Contains("anthropic/claude-sonnet-4-6: RateLimited (429)", error.Message, StringComparison.Ordinal);
        Assert.False(error.StoppedOnNonRetryable);
    }

    [Fact]
    public async Task Generate_AttemptLimit_CapsRetriesAndFallbacksTogether()
    {
        var h = new RouterHarness(o =>
        {
            o.Routing.MaxAttempts = 2;
            o.Routing.Retry.MaxRetries = 3;
            o.Routing.Retry.BaseDelayMs = 0;
        });
        h.OpenAI.OnResponse = (_, _, _) => RouterHarness.Fail(ProviderErrorKind.ServerError);

        await Assert.ThrowsAsync<RoutingFailedException>(() => h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask("openai/gpt-4.1")));

        Assert.Equal(2, h.OpenAI.Calls);
    }

    [Fact]
    public async Task Generate_AttemptLimitBelowProviderCount_EveryProviderStillTriedOnce()
    {
        var h = new RouterHarness(o =>
        {
            o.Routing.MaxAttempts = 2;
            o.Routing.Retry.MaxRetries = 3;
            o.Routing.Retry.BaseDelayMs = 0;
        });
        h.OpenAI.OnResponse = (_, _, _) => RouterHarness.Fail(ProviderErrorKind.ServerError);
        h.Anthropic.OnResponse = (_, _, _) => RouterHarness.Fail(ProviderErrorKind.ServerError);

        var response = await h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask());

        Assert.Equal("from gemini", response.Text);
        Assert.Equal((1, 1, 1), (h.OpenAI.Calls, h.Anthropic.Calls, h.Gemini.Calls));
    }

    [Fact]
    public async Task Generate_CallerCancels_RecordedAsCancelledAndNotFallenOver()
    {
        var h = new RouterHarness();
        using var cts = new CancellationTokenSource();
        h.OpenAI.OnResponse = async (_, _, ct) =>
        {
            await cts.CancelAsync();
            ct.ThrowIfCancellationRequested();
            return FakeChatClient.Answer("never", null);
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask(), cts.Token));

        Assert.Equal(AttemptOutcome.Cancelled, Assert.Single(h.Attempts).Outcome);
        Assert.Equal(0, h.Anthropic.Calls);
    }

    [Fact]
    public async Task Generate_UnknownModel_ThrowsNotFound()
    {
        var h = new RouterHarness();

        var error = await Assert.ThrowsAsync<ProviderException>(() => h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask("no-such-model")));

        Assert.Equal(ProviderErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task Generate_ProviderSlashModel_GoesToThatDeploymentOnly()
    {
        var h = new RouterHarness();

        var response = await h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask("gemini/gemini-2.5-flash"));

        Assert.Equal("from gemini", response.Text);
        Assert.Equal("gemini-2.5-flash", h.Gemini.SeenOptions[0]!.ModelId);
    }

    [Fact]
    public async Task Generate_RateLimitedDeployment_IsSkippedForNext()
    {
        var h = new RouterHarness(o => o.Providers["openai"].Rpm = 1);

        var first = await h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask());
        var second = await h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask());

        Assert.Equal("from openai", first.Text);
        Assert.Equal("from anthropic", second.Text);
        Assert.Equal(AttemptOutcome.Skipped, second.GetRoutingResult()!.Attempts[0].Outcome);
        Assert.Equal(1, h.OpenAI.Calls);
    }
}
