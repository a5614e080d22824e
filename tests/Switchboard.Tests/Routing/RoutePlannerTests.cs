using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Routing;

namespace Switchboard.Tests.Routing;

public sealed class RoutePlannerTests
{
    private static List<string> Plan(RouterHarness h, RouteOptions hints, string route = "main", List<ChatMessage>? messages = null) =>
        [.. h.Planner.Plan(h.Table.Resolve(route), messages ?? RouterHarness.Hello, null, hints).Candidates.Select(d => d.Name)];

    [Fact]
    public void Priority_KeepsRouteOrder()
    {
        Assert.Equal(["openai/gpt-4.1", "anthropic/claude-sonnet-4-6", "gemini/gemini-2.5-pro"], Plan(new RouterHarness(), new RouteOptions()));
    }

    [Fact]
    public void CodeGeneration_PrefersAnthropic()
    {
        Assert.Equal("anthropic/claude-sonnet-4-6", Plan(new RouterHarness(), new RouteOptions { Task = "code_generation" })[0]);
    }

    [Fact]
    public void LongContextTask_PrefersGemini()
    {
        Assert.Equal("gemini/gemini-2.5-pro", Plan(new RouterHarness(), new RouteOptions { Task = "long_context" })[0]);
    }

    [Fact]
    public void ConfiguredTaskRule_OverridesDefault()
    {
        var h = new RouterHarness(o => o.Routing.TaskRules["code_generation"] = ["gemini"]);
        Assert.Equal("gemini/gemini-2.5-pro", Plan(h, new RouteOptions { Task = "code_generation" })[0]);
    }

    [Fact]
    public void PreferCost_PutsCheapestFirst_OverTaskRule()
    {
        // For a short prompt, gemini-2.5-pro (1.25/10) is cheaper than gpt-4.1 (2/8) and claude-sonnet-4-6 (3/15) at 512 output tokens? 
        // gpt-4.1: 8 * 512 = 4096; gemini: 10 * 512 = 5120 → gpt-4.1 is cheapest on output-dominated requests.
        var plan = Plan(new RouterHarness(), new RouteOptions { PreferCost = true, Task = "code_generation" });
        Assert.Equal(["openai/gpt-4.1", "gemini/gemini-2.5-pro", "anthropic/claude-sonnet-4-6"], plan);
    }

    [Fact]
    public void InputBeyondAWindow_DropsThatDeployment_AndBecomesLongContext()
    {
        var h = new RouterHarness(o =>
        {
            var route = new RouteDefinition();
            route.Targets.Add("openai/gpt-4o");          // 128k window
            route.Targets.Add("anthropic/claude-haiku-4-5"); // 200k window
            route.Targets.Add("gemini/gemini-2.5-flash");   // 1M window
            o.Models["mixed"] = route;
        });
        var huge = string.Join(' ', Enumerable.Repeat("lorem ipsum dolor sit amet", 30_000)); // ~150k tokens

        var plan = h.Planner.Plan(h.Table.Resolve("mixed"), [new ChatMessage(ChatRole.User, huge)], null, new RouteOptions());

        Assert.Equal("long_context", plan.Task);
        Assert.Equal(["gemini/gemini-2.5-flash", "anthropic/claude-haiku-4-5"], plan.Candidates.Select(d => d.Name));
    }

    [Fact]
    public void ShortPrompt_FitsEveryWindow_TokenisedOnlyWhenTheEstimateIsRead()
    {
        var h = new RouterHarness();
        var options = RouterHarness.Ask();
        var context = SwitchboardContext.Of(options)!;
        List<ChatMessage> messages = [new(ChatRole.User, "What is the capital of France?")];

        var plan = h.Planner.Plan(h.Table.Resolve("main"), messages, options, new RouteOptions());

        Assert.Null(context.KnownInputTokens);
        Assert.Equal(3, plan.Candidates.Count);
        Assert.Equal(Switchboard.Pricing.TokenEstimator.Default.CountInput(messages), plan.EstimatedInputTokens);
        Assert.Equal(plan.EstimatedInputTokens, context.KnownInputTokens);
    }

    [Fact]
    public void PromptWhoseBoundExceedsAWindow_IsCounted_AndKeptWhereItFits()
    {
        var h = new RouterHarness(o =>
        {
            var route = new RouteDefinition();
            route.Targets.Add("openai/gpt-4o");             // 128k window
            route.Targets.Add("gemini/gemini-2.5-flash");   // 1M window
            o.Models["mixed"] = route;
        });
        // ~60k chars: three tokens per char would not fit 128k, the real count (~12k tokens) does.
        var longish = string.Join(' ', Enumerable.Repeat("lorem ipsum dolor sit amet", 2_200));
        var options = RouterHarness.Ask("mixed");

        var plan = h.Planner.Plan(h.Table.Resolve("mixed"), [new ChatMessage(ChatRole.User, longish)], options, new RouteOptions());

        Assert.Equal(["openai/gpt-4o", "gemini/gemini-2.5-flash"], plan.Candidates.Select(d => d.Name));
        Assert.Equal("general", plan.Task);
        Assert.NotNull(SwitchboardContext.Of(options)!.KnownInputTokens);
    }

    [Fact]
    public void InputBeyondEveryWindow_ThrowsContextLength()
    {
        var h = new RouterHarness(o =>
        {
            var route = new RouteDefinition();
            route.Targets.Add("openai/gpt-4o");
            o.Models["small"] = route;
        });
        var huge = string.Join(' ', Enumerable.Repeat("lorem ipsum dolor sit amet", 30_000));

        var error = Assert.Throws<ProviderException>(() => Plan(h, new RouteOptions(), "small", [new ChatMessage(ChatRole.User, huge)]));
        Assert.Equal(ProviderErrorKind.ContextLengthExceeded, error.Kind);
    }

    [Fact]
    public void LowestLatency_OrdersByMeasuredLatency_UnmeasuredFirst()
    {
        var h = new RouterHarness();
        Report(h, "openai", "gpt-4.1", 900);
        Report(h, "anthropic", "claude-sonnet-4-6", 300);

        Assert.Equal(["gemini/gemini-2.5-pro", "anthropic/claude-sonnet-4-6", "openai/gpt-4.1"], Plan(h, new RouteOptions { Prefer = "latency" }));
    }

    [Fact]
    public void Weighted_ZeroWeight_AlwaysLast()
    {
        var h = new RouterHarness(o =>
        {
            o.Models["main"].Policy = RoutingPolicyNames.Weighted;
            o.Models["main"].Weights["openai/gpt-4.1"] = 0;
        });

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("openai/gpt-4.1", Plan(h, new RouteOptions())[^1]);
        }
    }

    [Fact]
    public void Weighted_SplitsTrafficByWeight()
    {
        var h = new RouterHarness(o =>
        {
            o.Models["main"].Policy = RoutingPolicyNames.Weighted;
            o.Models["main"].Weights["openai/gpt-4.1"] = 9;
            o.Models["main"].Weights["anthropic/claude-sonnet-4-6"] = 1;
            o.Models["main"].Weights["gemini/gemini-2.5-pro"] = 0;
        });

        var firstOpenAI = Enumerable.Range(0, 2000).Count(_ => Plan(h, new RouteOptions())[0] == "openai/gpt-4.1");

        Assert.InRange(firstOpenAI, 1650, 1950); // 90 % expected; the bounds are > 5 standard deviations wide
    }

    private static void Report(RouterHarness h, string provider, string model, double ms) =>
        h.Health.OnAttempt(new AttemptRecord
        {
            RequestId = "r",
            AttemptNumber = 1,
            StartedAt = h.Time.GetUtcNow(),
            Deployment = h.Deployment(provider, model),
            Outcome = AttemptOutcome.Success,
            Duration = TimeSpan.FromMilliseconds(ms),
        });
}
