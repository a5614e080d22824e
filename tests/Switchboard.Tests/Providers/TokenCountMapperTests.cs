using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Providers;
using Switchboard.Providers.Anthropic;
using Switchboard.Providers.Gemini;
using Switchboard.Providers.OpenAI;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Providers;

/// <summary>Golden bodies of the three providers' token count calls (Anthropic count_tokens, Gemini :countTokens, OpenAI responses/input_tokens).</summary>
public sealed class TokenCountMapperTests
{
    private static readonly AIFunctionDeclaration Read = AIFunctionFactory.CreateDeclaration("read", "Reads a file",
        JsonElement.Parse("""{"type":"object","properties":{"path":{"type":"string"}}}"""));

    private static readonly ChatMessage[] Conversation =
    [
        new(ChatRole.System, "Be brief."),
        new(ChatRole.User, "Read a.txt"),
        new(ChatRole.Assistant, [new FunctionCallContent("call_1", "read", new Dictionary<string, object?> { ["path"] = "a.txt" })]),
        new(ChatRole.Tool, [new FunctionResultContent("call_1", "hello")]),
    ];

    private static ChatOptions Options() => new()
    {
        ModelId = "m",
        MaxOutputTokens = 100,
        Temperature = 0.5f,
        StopSequences = ["###"],
        Tools = [Read],
        AdditionalProperties = new()
        {
            [PassThroughKeys.AnthropicFieldPrefix + "metadata"] = JsonElement.Parse("""{"user_id":"u"}"""),
            [PassThroughKeys.AnthropicFieldPrefix + "context_management"] = JsonElement.Parse("""{"edits":[]}"""),
        },
    };

    private static string Written(Action<ArrayBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public void Anthropic_CountTokensBody_HasNoMaxTokensSamplingOrStream_AndOnlyTheFieldsCountTokensTakes()
    {
        var body = Written(o => AnthropicRequestMapper.ToAnthropic(o, Conversation, Options(), "claude-sonnet-4-6", null, stream: true, forCount: true));

        const string Expected = """
            {"model":"claude-sonnet-4-6","system":"Be brief.",
             "messages":[{"role":"user","content":[{"type":"text","text":"Read a.txt"}]},
                         {"role":"assistant","content":[{"type":"tool_use","id":"call_1","name":"read","input":{"path":"a.txt"}}]},
                         {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_1","content":"hello"}]}],
             "tools":[{"name":"read","description":"Reads a file","input_schema":{"type":"object","properties":{"path":{"type":"string"}}}}],
             "context_management":{"edits":[]}}
            """;
        Assert.True(Fixture.JsonEquals(Expected, body), body);
    }

    [Fact]
    public void Gemini_CountTokensBody_WrapsTheWholeGenerateContentRequest_WithTheModel()
    {
        var body = Written(o => GeminiRequestMapper.ToCountTokens(o, Conversation, Options(), "gemini", "gemini-2.5-flash"));
        var generate = Written(o => GeminiRequestMapper.ToGemini(o, Conversation, Options(), "gemini"));

        using var parsed = JsonDocument.Parse(body);
        var whole = parsed.RootElement.GetProperty("generateContentRequest");
        Assert.Single(parsed.RootElement.EnumerateObject());
        Assert.Equal("models/gemini-2.5-flash", whole.GetProperty("model").GetString());
        var rest = System.Text.Json.Nodes.JsonNode.Parse(whole.GetRawText())!.AsObject();
        rest.Remove("model");
        Assert.True(Fixture.JsonEquals(generate, rest.ToJsonString()), body);
    }

    [Fact]
    public void OpenAI_InputTokensBody_IsTheResponsesRequest_WithoutStoreStreamSamplingOrMaxOutput()
    {
        var options = Options();
        options.Instructions = "Zeroth.";
        var endpoint = OpenAIEndpoint.Create("openai", new ProviderOptions { Type = ProviderTypes.OpenAI, BaseUrl = new Uri("https://api.openai.com/v1") });
        var body = Written(o => OpenAIResponsesRequestWriter.Write(o, Conversation, options, "gpt-4.1", stream: true, endpoint, forCount: true));

        const string Expected = """
            {"model":"gpt-4.1","instructions":"Zeroth.",
             "input":[{"type":"message","role":"developer","content":[{"type":"input_text","text":"Be brief."}]},
                      {"type":"message","role":"user","content":[{"type":"input_text","text":"Read a.txt"}]},
                      {"type":"function_call","call_id":"call_1","name":"read","arguments":"{\"path\":\"a.txt\"}"},
                      {"type":"function_call_output","call_id":"call_1","output":"hello"}],
             "tools":[{"type":"function","name":"read","description":"Reads a file","parameters":{"type":"object","properties":{"path":{"type":"string"}}},"strict":false}]}
            """;
        Assert.True(Fixture.JsonEquals(Expected, body), body);
    }
}
