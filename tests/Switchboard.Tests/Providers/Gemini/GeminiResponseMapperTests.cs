using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Providers.Gemini;

namespace Switchboard.Tests.Providers.Gemini;

public sealed class GeminiResponseMapperTests
{
    [Fact]
    public void FromGemini_TextReply_JoinsPartsAndMapsIdentityAndUsage()
    {
        var response = Map("response-text.json");

        Assert.Equal("Paris is mild today.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("resp-text-1", response.ResponseId);
        Assert.Equal("gemini-2.5-flash", response.ModelId);
        Assert.Equal(12, response.Usage!.InputTokenCount);
        Assert.Equal(5, response.Usage.OutputTokenCount);
        Assert.Equal(17, response.Usage.TotalTokenCount);
        Assert.Null(response.Usage.CachedInputTokenCount);
        Assert.Null(response.Usage.ReasoningTokenCount);
    }

    [Fact]
    public void FromGemini_FunctionCallWithoutId_GetsDeterministicIdAndToolCallsFinish()
    {
        var response = Map("response-function-call.json");

        var call = Assert.IsType<FunctionCallContent>(Assert.Single(response.Messages[0].Contents));
        Assert.Equal("call_0", call.CallId);
        Assert.Equal("customDivide", call.Name);
        Assert.Equal("10", call.Arguments!["numerator"]!.ToString());
        Assert.Equal("2", call.Arguments["denominator"]!.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Fact]
    public void FromGemini_FunctionCallWithId_KeepsGeminiId()
    {
        var body = """{"candidates":[{"content":{"parts":[{"functionCall":{"id":"fc-1","name":"f","args":{}}},{"functionCall":{"name":"g","args":{}}}]},"finishReason":"STOP"}]}""";

        var response = GeminiResponseMapper.FromGemini(Parse(body), "gemini");

        var calls = response.Messages[0].Contents.OfType<FunctionCallContent>().ToList();
        Assert.Equal(["fc-1", "call_1"], calls.Select(c => c.CallId));
    }

    [Fact]
    public void FromGemini_Thoughts_BecomeReasoning_AndAreBilledAsOutput()
    {
        var response = Map("response-thoughts.json");

        var contents = response.Messages[0].Contents;
        Assert.Equal("Weighing train against plane.", Assert.IsType<TextReasoningContent>(contents[0]).Text);
        Assert.Equal("Take the train.", Assert.IsType<TextContent>(contents[1]).Text);
        Assert.Equal("Take the train.", response.Text);
        Assert.Equal(100, response.Usage!.InputTokenCount);
        Assert.Equal(60, response.Usage.CachedInputTokenCount);
        Assert.Equal(48, response.Usage.OutputTokenCount);
        Assert.Equal(40, response.Usage.ReasoningTokenCount);
        Assert.Equal(148, response.Usage.TotalTokenCount);
    }

    [Fact]
    public void FromGemini_ThoughtSignatureOnCall_IsKeptForTheNextTurn()
    {
        var body = """{"candidates":[{"content":{"parts":[{"functionCall":{"name":"f","args":{}},"thoughtSignature":"c2ln"}]},"finishReason":"STOP"}]}""";

        var response = GeminiResponseMapper.FromGemini(Parse(body), "gemini");

        var call = Assert.IsType<FunctionCallContent>(Assert.Single(response.Messages[0].Contents));
        Assert.Equal("c2ln", call.AdditionalProperties![GeminiResponseMapper.ThoughtSignatureKey]);
    }

    [Fact]
    public void FromGemini_SafetyFinish_IsContentFilter()
    {
        var response = Map("response-safety.json");

        Assert.Equal(ChatFinishReason.ContentFilter, response.FinishReason);
        Assert.Equal("", response.Text);
    }

    [Fact]
    public void FromGemini_BlockedPrompt_ThrowsContentFilteredWithReasonAndUsage()
    {
        var ex = Assert.Throws<ProviderException>(() => Map("response-blocked.json"));

        Assert.Equal(ProviderErrorKind.ContentFiltered, ex.Kind);
        Assert.Equal("PROHIBITED_CONTENT", ex.ProviderCode);
        Assert.Equal(9, ex.PartialUsage!.InputTokenCount);
    }

    [Theory]
    [InlineData("MAX_TOKENS", "length")]
    [InlineData("RECITATION", "content_filter")]
    [InlineData("BLOCKLIST", "content_filter")]
    [InlineData("PROHIBITED_CONTENT", "content_filter")]
    [InlineData("SPII", "content_filter")]
    [InlineData("MALFORMED_FUNCTION_CALL", "malformed_function_call")]
    [InlineData("OTHER", "other")]
    public void ToFinishReason_MapsGeminiValues(string reason, string expected)
    {
        Assert.Equal(expected, GeminiResponseMapper.ToFinishReason(reason, hasCalls: false)!.Value.Value);
    }

    [Fact]
    public void ToUsage_UnreportedCounts_StayNull()
    {
        var usage = GeminiResponseMapper.ToUsage(new GeminiUsage { PromptTokenCount = 7, TotalTokenCount = 7 })!;

        Assert.Equal(7, usage.InputTokenCount);
        Assert.Null(usage.OutputTokenCount);
        Assert.Null(usage.ReasoningTokenCount);
        Assert.Null(usage.CachedInputTokenCount);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("""{"modelVersion":"gemini-2.5-flash"}""")]
    public void FromGemini_EmptyReply_IsMalformedResponse(string body)
    {
        var ex = Assert.Throws<ProviderException>(() => GeminiResponseMapper.FromGemini(Parse(body), "gemini"));

        Assert.Equal(ProviderErrorKind.MalformedResponse, ex.Kind);
    }

    /// <summary>Reads a body the way the adapter does: the source-generated context over the UTF-8 bytes.</summary>
    private static GeminiResponse? Parse(string body) =>
        JsonSerializer.Deserialize(Encoding.UTF8.GetBytes(body), GeminiJsonContext.Default.GeminiResponse);

    private static ChatResponse Map(string fixture) =>
        GeminiResponseMapper.FromGemini(Parse(GeminiTestClients.Read(fixture)), "gemini");
}
