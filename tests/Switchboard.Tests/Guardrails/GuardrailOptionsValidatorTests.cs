using Switchboard.Guardrails;

namespace Switchboard.Tests.Guardrails;

public sealed class GuardrailOptionsValidatorTests
{
    private readonly GuardrailOptionsValidator _validator = new();

    [Fact]
    public void Defaults_AreValid() => Assert.True(_validator.Validate(null, new GuardrailOptions()).Succeeded);

    [Fact]
    public void EveryError_IsReported_NamingItsKey()
    {
        var options = new GuardrailOptions();
        options.PromptInjection.Action = "shout";
        options.PromptInjection.Threshold = 1.5;
        options.Compaction.Action = GuardrailActions.Block;
        options.ContentFilter.Categories = ["weapons", "gossip"];
        options.ContentFilter.InputPatterns = ["(unclosed"];
        options.ContentFilter.Moderation.Enabled = true;
        options.Pii.Kinds = ["Email", "Shoe size"];
        options.Routes["smart"] = new GuardrailOverrides { Pii = new GuardOverride { Action = "maybe" } };

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        var message = result.FailureMessage;
        foreach (var key in (string[])[
            "Switchboard:Guardrails:PromptInjection:Action", "Switchboard:Guardrails:PromptInjection:Threshold",
            "Switchboard:Guardrails:Compaction:Action", "Switchboard:Guardrails:ContentFilter:Categories",
            "Switchboard:Guardrails:ContentFilter:InputPatterns:0", "Switchboard:Guardrails:ContentFilter:Moderation:BaseUrl",
            "Switchboard:Guardrails:Pii:Kinds", "Switchboard:Guardrails:Routes:smart:Pii:Action"])
        {
            Assert.Contains(key, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ActionsAreCaseInsensitive() =>
        Assert.True(_validator.Validate(null, new GuardrailOptions { Pii = new PiiOptions { Action = "Redact" } }).Succeeded);
}
