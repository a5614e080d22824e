using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Guardrails;

namespace Switchboard.Tests.Guardrails;

public sealed class GuardrailPlanTests
{
    [Fact]
    public void GlobalPlan_FollowsOptionsChangedAfterFirstUse()
    {
        var options = new GuardrailOptions();
        var chat = new ChatOptions { ModelId = "smart" };
        var context = new SwitchboardContext();

        var first = GuardrailPlan.Resolve(options, chat.ModelId, context);
        options.Pii.Action = "REDACT";
        var second = GuardrailPlan.Resolve(options, chat.ModelId, context);

        Assert.Equal(GuardrailActions.Flag, first.Injection);
        Assert.Equal(GuardrailActions.Off, first.Pii);
        Assert.Equal("redact", second.Pii);
    }

    [Fact]
    public void RouteOverride_WinsOverTheGlobalPlan()
    {
        var options = new GuardrailOptions();
        options.Routes["smart"] = new GuardrailOverrides { PromptInjection = new GuardOverride { Action = GuardrailActions.Block } };

        var plan = GuardrailPlan.Resolve(options, "smart", new SwitchboardContext());
        var other = GuardrailPlan.Resolve(options, "fast", new SwitchboardContext());

        Assert.Equal(GuardrailActions.Block, plan.Injection);
        Assert.Equal(GuardrailActions.Flag, other.Injection);
    }
}
