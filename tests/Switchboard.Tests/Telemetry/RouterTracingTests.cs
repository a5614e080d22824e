using System.Collections.Concurrent;
using System.Diagnostics;
using Switchboard.Chat;
using Switchboard.Telemetry;
using Switchboard.Tests.Routing;

namespace Switchboard.Tests.Telemetry;

public sealed class RouterTracingTests
{
    [Fact]
    public async Task FallbackOnce_SpanTree_RequestSpanWithTwoAttemptChildren_FirstWithErrorType()
    {
        var requestId = Guid.NewGuid().ToString("N");
        var stopped = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == SwitchboardTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var h = new RouterHarness();
        h.OpenAI.OnResponse = (_, _, _) => RouterHarness.Fail(ProviderErrorKind.Overloaded, status: 529);

        await h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask(requestId: requestId));

        var root = Assert.Single(stopped, a => (string?)a.GetTagItem("switchboard.request_id") == requestId);
        Assert.Equal("chat main", root.DisplayName);
        Assert.Equal("success", root.GetTagItem(GenAiAttributes.Outcome));
        var children = stopped.Where(a => a.ParentSpanId == root.SpanId).OrderBy(a => (int)a.GetTagItem(GenAiAttributes.Attempt)!).ToList();
        Assert.Equal(2, children.Count);

        Assert.Equal(ActivityKind.Client, children[0].Kind);
        Assert.Equal("chat", children[0].GetTagItem(GenAiAttributes.OperationName));
        Assert.Equal("openai", children[0].GetTagItem(GenAiAttributes.ProviderName));
        Assert.Equal("gpt-4.1", children[0].GetTagItem(GenAiAttributes.RequestModel));
        Assert.Equal("Overloaded", children[0].GetTagItem(GenAiAttributes.ErrorType));
        Assert.Equal(ActivityStatusCode.Error, children[0].Status);
        Assert.Equal("api.openai.com", children[0].GetTagItem(GenAiAttributes.ServerAddress));

        Assert.Equal("anthropic", children[1].GetTagItem(GenAiAttributes.ProviderName));
        Assert.Null(children[1].GetTagItem(GenAiAttributes.ErrorType));
        Assert.Equal("Overloaded", children[1].GetTagItem(GenAiAttributes.FallbackReason));
        Assert.Equal(10L, children[1].GetTagItem(GenAiAttributes.InputTokens));
        Assert.Equal(5L, children[1].GetTagItem(GenAiAttributes.OutputTokens));
        Assert.Equal(new[] { "stop" }, (string[])children[1].GetTagItem(GenAiAttributes.FinishReasons)!);
        Assert.NotNull(children[1].GetTagItem(GenAiAttributes.CostUsd));
    }
}
