using Switchboard.Providers;

namespace Switchboard.Tests.Providers;

public sealed class ProviderPassThroughTests
{
    private static ProviderPassThroughOptions Options(string[]? betaAllow = null, string[]? betaDeny = null, string[]? fieldDeny = null)
    {
        var options = new ProviderPassThroughOptions();
        foreach (var b in betaAllow ?? [])
        {
            options.Betas.Allow.Add(b);
        }

        foreach (var b in betaDeny ?? [])
        {
            options.Betas.Deny.Add(b);
        }

        foreach (var f in fieldDeny ?? [])
        {
            options.Fields.Deny.Add(f);
        }

        return options;
    }

    [Fact]
    public void Defaults_AnthropicUpstream_ReceivesEveryFieldAndBeta_ByteForByte()
    {
        var rules = ProviderPassThrough.For(ProviderTypes.Anthropic, new ProviderPassThroughOptions());

        Assert.True(rules.AllowsField("context_management"));
        Assert.True(rules.AllowsField("some_future_field"));
        const string Sent = "a-2025-01-01, b-2025-02-02";
        Assert.Same(Sent, rules.Betas(Sent));
    }

    [Fact]
    public void Deny_ByNameOrPrefix_RemovesOnlyThose_AndKeepsOrder()
    {
        var rules = ProviderPassThrough.For(ProviderTypes.Anthropic, Options(betaDeny: ["context-management-*"], fieldDeny: ["context_management"]));

        Assert.Equal("claude-code-20250219,effort-2025-11-24", rules.Betas("claude-code-20250219,context-management-2025-06-27,effort-2025-11-24"));
        Assert.Null(rules.Betas("context-management-2025-06-27"));
        Assert.False(rules.AllowsField("context_management"));
        Assert.True(rules.AllowsField("output_config"));
    }

    [Fact]
    public void Allow_ReplacesTheDefaultAllowList()
    {
        var rules = ProviderPassThrough.For(ProviderTypes.Anthropic, Options(betaAllow: ["interleaved-thinking-*"]));

        Assert.Equal("interleaved-thinking-2025-05-14", rules.Betas("claude-code-20250219,interleaved-thinking-2025-05-14"));
    }

    [Fact]
    public void Validate_ReportsEveryBadEntry_AndRulesOnATypeThatNeverPassesThrough()
    {
        var errors = ProviderPassThrough.Validate("Switchboard:Providers:x", ProviderTypes.Anthropic, Options(betaDeny: ["", "a,b", "*x"])).ToList();
        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("Switchboard:Providers:x:PassThrough:Betas:Deny:0:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Switchboard:Providers:x:PassThrough:Betas:Deny:2:", StringComparison.Ordinal));

        var openai = ProviderPassThrough.Validate("Switchboard:Providers:o", ProviderTypes.OpenAI, Options(fieldDeny: ["store"])).ToList();
        Assert.Contains("ExcludedParameters", Assert.Single(openai), StringComparison.Ordinal);
        Assert.Empty(ProviderPassThrough.Validate("Switchboard:Providers:o", ProviderTypes.OpenAI, new ProviderPassThroughOptions()));
    }
}
