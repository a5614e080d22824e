using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Gateway.Edges.Anthropic;
using Switchboard.Gateway.Edges.Gemini;
using Switchboard.Gateway.Edges.OpenAI;

namespace Switchboard.Tests.Gateway;

/// <summary>Each edge's native reasoning setting as the canonical effort, the native field kept as sent.</summary>
public sealed class ReasoningEdgeMappingTests
{
    private static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    [Theory]
    [InlineData("minimal", ReasoningEffort.Low)]
    [InlineData("high", ReasoningEffort.High)]
    [InlineData("xhigh", ReasoningEffort.ExtraHigh)]
    public void OpenAIEdge_ReasoningEffort(string sent, ReasoningEffort expected)
    {
        var request = OpenAIEdgeRequestMapper.Parse(Utf8($$"""{"model":"o4-mini","messages":[{"role":"user","content":"Hi"}],"reasoning_effort":"{{sent}}"}"""));

        Assert.Equal(expected, request.Options.Reasoning?.Effort);
        Assert.Equal(sent, ((JsonElement)request.Options.AdditionalProperties!["reasoning_effort"]!).GetString());
    }

    [Theory]
    [InlineData("""{"type":"enabled","budget_tokens":10000}""", null, ReasoningEffort.Medium)]
    [InlineData("""{"type":"disabled"}""", null, ReasoningEffort.None)]
    [InlineData("""{"type":"adaptive"}""", "max", ReasoningEffort.ExtraHigh)]
    [InlineData("""{"type":"adaptive"}""", null, null)]
    public void AnthropicEdge_ThinkingAndOutputConfigEffort(string thinking, string? effort, ReasoningEffort? expected)
    {
        var output = effort is null ? "" : $$""","output_config":{"effort":"{{effort}}"}""";
        var request = AnthropicEdgeRequestMapper.Parse(Utf8($$"""{"model":"claude-sonnet-4-6","max_tokens":20000,"messages":[{"role":"user","content":"Hi"}],"thinking":{{thinking}}{{output}}}"""));

        Assert.Equal(expected, request.Options.Reasoning?.Effort);
        Assert.True(request.Options.AdditionalProperties!.ContainsKey(PassThroughKeys.AnthropicFieldPrefix + "thinking"));
    }

    [Theory]
    [InlineData("""{"thinkingBudget":24576,"includeThoughts":true}""", ReasoningEffort.High)]
    [InlineData("""{"thinkingLevel":"LOW"}""", ReasoningEffort.Low)]
    [InlineData("""{"thinkingBudget":-1}""", null)]
    public void GeminiEdge_ThinkingConfig(string config, ReasoningEffort? expected)
    {
        var request = GeminiEdgeRequestMapper.Parse(Utf8($$$"""{"contents":[{"role":"user","parts":[{"text":"Hi"}]}],"generationConfig":{"thinkingConfig":{{{config}}}}}"""),
            "gemini-2.5-flash", false, out _);

        Assert.Equal(expected, request.Options.Reasoning?.Effort);
        Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(config).RootElement),
            JsonSerializer.Serialize((JsonElement)request.Options.AdditionalProperties![PassThroughKeys.GeminiThinkingConfig]!));
    }
}
