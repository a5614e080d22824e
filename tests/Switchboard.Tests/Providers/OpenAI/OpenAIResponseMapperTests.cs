using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Providers.OpenAI;
using Switchboard.Tests.TestSupport;
using static Switchboard.Tests.Providers.OpenAI.OpenAITestClients;

namespace Switchboard.Tests.Providers.OpenAI;

public sealed class OpenAIResponseMapperTests
{
    private static ChatResponse Map(string fixture) =>
        OpenAIResponseMapper.FromOpenAI(Parse(Encoding.UTF8.GetBytes(Fixture.Read(Fixtures + fixture))), "openai");

    /// <summary>Reads a body the way the adapter does: the source-generated context over the UTF-8 bytes.</summary>
    private static OpenAIChatCompletion? Parse(ReadOnlySpan<byte> body) =>
        JsonSerializer.Deserialize(body, OpenAIJsonContext.Default.OpenAIChatCompletion);

    [Fact]
    public void FromOpenAI_Text_MapsTextIdsAndFinishReason()
    {
        var response = Map("response-text.json");

        Assert.Equal("Hello! How can I assist you today?", response.Text);
        Assert.Equal(ChatRole.Assistant, Assert.Single(response.Messages).Role);
        Assert.Equal("chatcmpl-D8dUjRkJNE7oAraZr6I7Jy8l3f2eU", response.ResponseId);
        Assert.Equal("gpt-4o-mini-2024-07-18", response.ModelId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1770950813), response.CreatedAt);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public void FromOpenAI_Usage_MapsCachedAndReasoningTokens()
    {
        var usage = Map("response-text.json").Usage!;

        Assert.Equal(2011, usage.InputTokenCount);
        Assert.Equal(309, usage.OutputTokenCount);
        Assert.Equal(2320, usage.TotalTokenCount);
        Assert.Equal(1920, usage.CachedInputTokenCount);
        Assert.Equal(256, usage.ReasoningTokenCount);
    }

    [Fact]
    public void FromOpenAI_UsageWithoutDetails_LeavesCachedAndReasoningUnknown()
    {
        var usage = Map("response-tool-calls.json").Usage!;

        Assert.Equal(82, usage.InputTokenCount);
        Assert.Null(usage.CachedInputTokenCount);
        Assert.Null(usage.ReasoningTokenCount);
    }

    [Fact]
    public void FromOpenAI_ToolCalls_MapsEachCallWithParsedArguments()
    {
        var response = Map("response-tool-calls.json");

        var calls = response.Messages[0].Contents.OfType<FunctionCallContent>().ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal("call_4XzlGBLtUe9dy3GVNV4jhq7h", calls[0].CallId);
        Assert.Equal("get_weather", calls[0].Name);
        Assert.Equal("Paris", ((JsonElement)calls[0].Arguments!["city"]!).GetString());
        Assert.Equal(24, ((JsonElement)calls[1].Arguments!["format"]!).GetInt32());
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Fact]
    public void FromOpenAI_Refusal_MapsToTextAndContentFilter()
    {
        var response = Map("response-refusal.json");

        Assert.Equal("I'm sorry, I can't help with that.", response.Text);
        Assert.Equal(ChatFinishReason.ContentFilter, response.FinishReason);
    }

    [Theory]
    [InlineData("length", "length")]
    [InlineData("content_filter", "content_filter")]
    [InlineData("function_call", "tool_calls")]
    public void ToFinishReason_MapsWireValues(string wire, string expected) =>
        Assert.Equal(new ChatFinishReason(expected), OpenAIResponseMapper.ToFinishReason(wire));

    [Fact]
    public void FromOpenAI_NoChoices_ThrowsMalformedResponse()
    {
        var ex = Assert.Throws<ProviderException>(() => OpenAIResponseMapper.FromOpenAI(Parse("{\"id\":\"c1\",\"choices\":[]}"u8), "openai"));
        Assert.Equal(ProviderErrorKind.MalformedResponse, ex.Kind);
    }
}
