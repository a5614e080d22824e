using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Gateway.Edges;
using Switchboard.Gateway.Edges.Gemini;

namespace Switchboard.Tests.Gateway;

public sealed class GeminiEdgeRequestMapperTests
{
    private static EdgeRequest Parse(string json, bool stream = false) =>
        GeminiEdgeRequestMapper.Parse(Encoding.UTF8.GetBytes(json), "gemini-3-pro", stream, out _);

    [Fact]
    public void FunctionResponsesWithoutIds_AnswerCallsByNameAndOrder()
    {
        var request = Parse("""
            {"contents": [
              {"role": "user", "parts": [{"text": "Read both"}]},
              {"role": "model", "parts": [
                {"functionCall": {"name": "read_file", "args": {"path": "a"}}, "thoughtSignature": "sig-a"},
                {"functionCall": {"name": "read_file", "args": {"path": "b"}}},
                {"functionCall": {"name": "ls", "args": {}}}]},
              {"role": "user", "parts": [
                {"functionResponse": {"name": "ls", "response": {"output": "x y"}}},
                {"functionResponse": {"name": "read_file", "response": {"output": "A"}}},
                {"functionResponse": {"name": "read_file", "response": {"content": {"lines": 2}}}}]}
            ]}
            """);

        var calls = request.Messages[1].Contents.Cast<FunctionCallContent>().ToList();
        var results = request.Messages[2].Contents.Cast<FunctionResultContent>().ToList();
        Assert.Equal(3, calls.Select(c => c.CallId).Distinct().Count());
        Assert.Equal(calls[2].CallId, results[0].CallId);
        Assert.Equal(calls[0].CallId, results[1].CallId);
        Assert.Equal(calls[1].CallId, results[2].CallId);
        Assert.Equal(("x y", "A"), ((string?)results[0].Result, (string?)results[1].Result));
        Assert.Equal("""{"content": {"lines": 2}}""", results[2].Result);
        Assert.Equal("sig-a", calls[0].AdditionalProperties![GeminiEdgeContentMapper.ThoughtSignatureKey]);
        Assert.Equal(ChatRole.Assistant, request.Messages[1].Role);
    }

    [Fact]
    public void GenerationConfig_Tools_AndSystemInstruction_Map()
    {
        var request = Parse("""
            {"contents": [{"parts": [{"text": "hi"}, {"text": "pondering", "thought": true}]}],
             "systemInstruction": {"parts": [{"text": "Be brief."}]},
             "tools": [{"functionDeclarations": [{"name": "f", "parameters": {"type": "OBJECT", "properties": {"type": {"type": "STRING"}, "n": {"type": "ARRAY", "items": {"type": "INTEGER"}}}}}]},
                       {"googleSearch": {}}],
             "toolConfig": {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["f"]}},
             "generationConfig": {"temperature": 0.3, "topP": 0.9, "topK": 40, "maxOutputTokens": 77, "stopSequences": ["END"],
               "responseMimeType": "application/json", "responseSchema": {"type": "OBJECT", "properties": {"a": {"type": "STRING"}}},
               "thinkingConfig": {"includeThoughts": true, "thinkingBudget": -1}},
             "safetySettings": [{"category": "HARM_CATEGORY_HATE_SPEECH", "threshold": "BLOCK_NONE"}],
             "someFutureField": 1}
            """, stream: true);

        Assert.True(request.Stream);
        Assert.Equal("gemini-3-pro", request.Model);
        Assert.Equal(ChatRole.System, request.Messages[0].Role);
        Assert.Equal("Be brief.", request.Messages[0].Text);
        Assert.IsType<TextReasoningContent>(request.Messages[1].Contents[1]);
        var o = request.Options;
        Assert.Equal((0.3f, 0.9f, 40, 77), (o.Temperature, o.TopP, o.TopK, o.MaxOutputTokens));
        Assert.Equal(["END"], o.StopSequences!);
        var tool = Assert.IsAssignableFrom<AIFunctionDeclaration>(Assert.Single(o.Tools!));
        Assert.Equal("""{"type":"object","properties":{"type":{"type":"string"},"n":{"type":"array","items":{"type":"integer"}}}}""",
            tool.JsonSchema.GetRawText());
        Assert.Equal("f", Assert.IsType<RequiredChatToolMode>(o.ToolMode).RequiredFunctionName);
        var format = Assert.IsType<ChatResponseFormatJson>(o.ResponseFormat);
        Assert.Equal("string", format.Schema!.Value.GetProperty("properties").GetProperty("a").GetProperty("type").GetString());
        // Nothing Gemini-only is carried to other providers: only the thinkingConfig, under a key only the Gemini adapter reads.
        Assert.Equal([Switchboard.Chat.PassThroughKeys.GeminiThinkingConfig], o.AdditionalProperties!.Keys);
    }

    [Theory]
    [InlineData("""{"contents": []}""", "contents")]
    [InlineData("""{"contents": [{"role": "system", "parts": [{"text": "x"}]}]}""", "contents[0].role")]
    [InlineData("""{"contents": [{"parts": [{"inlineData": {"mimeType": "image/png", "data": "%%%"}}]}]}""", "contents[0].parts[0].inlineData.data")]
    [InlineData("""{"contents": [{"parts": [{"unknownPart": {}}]}]}""", "contents[0].parts[0].data")]
    [InlineData("""{"contents": [{"parts": [{"text": "x"}]}], "generationConfig": {"temperature": 3}}""", "generationConfig.temperature")]
    [InlineData("""{"contents": [{"parts": [{"text": "x"}]}], "generationConfig": {"candidateCount": 2}}""", "generationConfig.candidateCount")]
    [InlineData("""{"contents": [{"parts": [{"text": "x"}]}], "generationConfig": {"responseMimeType": "text/csv"}}""", "generationConfig.responseMimeType")]
    public void InvalidRequest_NamesTheField(string json, string param) =>
        Assert.Equal(param, Assert.Throws<EdgeRequestException>(() => Parse(json)).Param);
}
