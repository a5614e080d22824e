using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Pricing;
using Switchboard.Providers.Anthropic;
using Switchboard.Tests.TestSupport;
using static Switchboard.Tests.Providers.Anthropic.AnthropicTestClients;

namespace Switchboard.Tests.Providers.Anthropic;

public sealed class AnthropicResponseMapperTests
{
    private static ChatResponse Map(string fixture) =>
        AnthropicResponseMapper.FromAnthropic(Parse(Encoding.UTF8.GetBytes(Fixture.Read(Fixtures + fixture))), "anthropic");

    /// <summary>Reads a body the way the adapter does: the source-generated context over the UTF-8 bytes.</summary>
    private static AnthropicMessage? Parse(ReadOnlySpan<byte> body) =>
        JsonSerializer.Deserialize(body, AnthropicJsonContext.Default.AnthropicMessage);

    [Fact]
    public void FromAnthropic_TextReply_MapsTextIdsStopAndUsage()
    {
        var response = Map("response-text.json");

        Assert.Equal("Hello! How can I help?", response.Text);
        Assert.Equal("msg_01XFDUDYJgAACzvnptvVoYEL", response.ResponseId);
        Assert.Equal("claude-haiku-4-5-20251001", response.ModelId);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(ChatRole.Assistant, response.Messages[0].Role);
        Assert.Equal(12, response.Usage?.InputTokenCount);
        Assert.Equal(9, response.Usage?.OutputTokenCount);
        Assert.Equal(21, response.Usage?.TotalTokenCount);
        Assert.Equal(0, response.Usage?.CachedInputTokenCount);
    }

    [Fact]
    public void FromAnthropic_ToolUse_MapsFunctionCallWithInputAsArguments()
    {
        var response = Map("response-tool-use.json");

        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal("I'll check the current weather in Paris for you.", response.Text);
        var call = Assert.Single(response.Messages[0].Contents.OfType<FunctionCallContent>());
        Assert.Equal("toolu_01NRLabsLyVHZPKxbKvkfSMn", call.CallId);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Paris", ((JsonElement)call.Arguments!["city"]!).GetString());
        Assert.Equal(2, ((JsonElement)call.Arguments!["days"]!).GetInt32());
    }

    [Fact]
    public void FromAnthropic_ThinkingAndCacheUsage_MapsReasoningAndCanonicalUsage()
    {
        var response = Map("response-thinking-cached.json");
        var contents = response.Messages[0].Contents;

        var thinking = Assert.IsType<TextReasoningContent>(contents[0]);
        Assert.Equal("The user wants a short answer.", thinking.Text);
        Assert.Equal("EqQBCgIYAhIM1gbcDa9GJwZA2b3h", thinking.ProtectedData);
        var redacted = Assert.IsType<TextReasoningContent>(contents[1]);
        Assert.Equal("EmwKAhgBEgy3va3pzix/LafPsn4a", redacted.ProtectedData);
        Assert.Equal("42.", response.Text);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);

        var usage = response.Usage!;
        Assert.Equal(20 + 3000 + 1000, usage.InputTokenCount); // input_tokens excludes cache reads and writes
        Assert.Equal(3000, usage.CachedInputTokenCount);
        Assert.Equal(1000, usage.AdditionalCounts?[UsageKeys.CacheWriteInputTokens]);
        Assert.Equal(150, usage.OutputTokenCount);
        Assert.Equal(120, usage.ReasoningTokenCount);
        Assert.Equal(4020 + 150, usage.TotalTokenCount);
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("refusal", "content_filter")]
    [InlineData("pause_turn", "pause_turn")]
    public void ToFinishReason_MapsStopReason(string stopReason, string expected) =>
        Assert.Equal(expected, AnthropicResponseMapper.ToFinishReason(stopReason)?.Value);

    [Fact]
    public void ToUsage_FieldsNotReported_StayNull()
    {
        var usage = AnthropicResponseMapper.ToUsage(new AnthropicUsage { OutputTokens = 7 })!;

        Assert.Null(usage.InputTokenCount);
        Assert.Null(usage.CachedInputTokenCount);
        Assert.Null(usage.AdditionalCounts);
        Assert.Equal(7, usage.OutputTokenCount);
        Assert.Equal(7, usage.TotalTokenCount);
        Assert.Null(AnthropicResponseMapper.ToUsage(null));
    }

    [Fact]
    public void FromAnthropic_ReplyWithoutContent_ThrowsMalformedResponse()
    {
        var ex = Assert.Throws<ProviderException>(() => AnthropicResponseMapper.FromAnthropic(Parse("{\"id\":\"msg_1\"}"u8), "anthropic"));

        Assert.Equal(ProviderErrorKind.MalformedResponse, ex.Kind);
    }
}
