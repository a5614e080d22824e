using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Gateway.Edges;
using Switchboard.Gateway.Edges.Responses;

namespace Switchboard.Tests.Gateway;

public sealed class ResponsesEdgeRequestMapperTests
{
    private static EdgeRequest Parse(string json) => ResponsesEdgeRequestMapper.Parse(Encoding.UTF8.GetBytes(json));

    private static EdgeRequestException Refused(string json) => Assert.Throws<EdgeRequestException>(() => Parse(json));

    [Fact]
    public void StringInput_WithInstructions_SystemThenUser()
    {
        var request = Parse("""{"model":"gpt-4.1","instructions":"Be brief.","input":"hi","max_output_tokens":100,"temperature":0.5,"top_p":0.9,"stream":true}""");

        Assert.Equal("gpt-4.1", request.Model);
        Assert.True(request.Stream);
        Assert.Collection(request.Messages,
            m => { Assert.Equal(ChatRole.System, m.Role); Assert.Equal("Be brief.", m.Text); },
            m => { Assert.Equal(ChatRole.User, m.Role); Assert.Equal("hi", m.Text); });
        Assert.Equal(100, request.Options.MaxOutputTokens);
        Assert.Equal(0.5f, request.Options.Temperature);
        Assert.Equal(0.9f, request.Options.TopP);
    }

    [Fact]
    public void Items_MessagesCallsAndOutputs_ReasoningAndCallsKeptAsSent()
    {
        var request = Parse("""
            {"model":"m","tools":[{"type":"custom","name":"apply_patch"},{"type":"namespace","name":"mcp","tools":[{"type":"function","name":"read"}]}],
             "input":[
              {"role":"developer","content":"rules"},
              {"type":"message","role":"user","content":[{"type":"input_text","text":"go"},{"type":"input_image","image_url":"https://example.com/a.png","detail":"low"}]},
              {"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"opaque"},
              {"type":"message","role":"assistant","phase":"commentary","content":[{"type":"output_text","text":"ok"}]},
              {"type":"function_call","call_id":"c1","name":"read","namespace":"mcp","arguments":"{\"path\":\"a\"}"},
              {"type":"custom_tool_call","call_id":"c2","name":"apply_patch","input":"*** Begin Patch"},
              {"type":"function_call_output","call_id":"c1","output":"file a"},
              {"type":"custom_tool_call_output","call_id":"c2","output":[{"type":"input_text","text":"done"}]},
              {"type":"web_search_call","id":"ws_1","status":"completed"}
             ]}
            """);

        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.Assistant, ChatRole.Tool, ChatRole.Tool, ChatRole.Assistant],
            request.Messages.Select(m => m.Role));
        Assert.IsType<UriContent>(request.Messages[1].Contents[1]);

        // A hosted tool's call rides as sent on an empty content, for a native OpenAI upstream only.
        var search = Assert.Single(request.Messages[6].Contents);
        Assert.Equal(typeof(AIContent), search.GetType());
        Assert.Equal("""{"type":"web_search_call","id":"ws_1","status":"completed"}""",
            ((JsonElement)search.AdditionalProperties![PassThroughKeys.OpenAIResponsesItem]!).GetRawText());

        // The reasoning item rides as sent on an empty reasoning content: only a native OpenAI upstream writes it.
        var reasoning = Assert.IsType<TextReasoningContent>(Assert.Single(request.Messages[2].Contents));
        Assert.Equal("", reasoning.Text);
        Assert.Null(reasoning.ProtectedData);
        var rawReasoning = (JsonElement)reasoning.AdditionalProperties![PassThroughKeys.OpenAIResponsesItem]!;
        Assert.Equal("""{"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"opaque"}""", rawReasoning.GetRawText());

        var assistant = request.Messages[3];
        Assert.Equal("commentary", assistant.AdditionalProperties?["phase"]);
        var read = Assert.IsType<FunctionCallContent>(assistant.Contents[1]);
        Assert.Equal("mcp__read", read.Name);
        Assert.Equal("a", ((JsonElement)read.Arguments!["path"]!).GetString());
        var patch = Assert.IsType<FunctionCallContent>(assistant.Contents[2]);
        Assert.Equal(("c2", "apply_patch", "*** Begin Patch"), (patch.CallId, patch.Name, (string?)patch.Arguments!["input"]));
        Assert.Contains("\"namespace\":\"mcp\"", ((JsonElement)read.AdditionalProperties![PassThroughKeys.OpenAIResponsesItem]!).GetRawText(), StringComparison.Ordinal);
        Assert.StartsWith("""{"type":"custom_tool_call",""", ((JsonElement)patch.AdditionalProperties![PassThroughKeys.OpenAIResponsesItem]!).GetRawText(), StringComparison.Ordinal);
        Assert.Equal("file a", Assert.IsType<FunctionResultContent>(request.Messages[4].Contents[0]).Result);
        Assert.Equal("done", Assert.IsType<FunctionResultContent>(request.Messages[5].Contents[0]).Result);
    }

    [Fact]
    public void Tools_CustomBridgedAsOneStringParameter_NamespaceFlattened()
    {
        var request = Parse("""
            {"model":"m","input":"x","tools":[
              {"type":"function","name":"shell","description":"Run","parameters":{"type":"object","properties":{"cmd":{"type":"string"}}},"strict":true},
              {"type":"custom","name":"apply_patch","description":"Patch","format":{"type":"grammar","syntax":"lark","definition":"start: /.+/"}},
              {"type":"namespace","name":"mcp__files","tools":[{"type":"function","name":"read"}]}],
             "tool_choice":{"type":"custom","name":"apply_patch"}}
            """);

        var tools = request.Options.Tools!.Cast<AIFunctionDeclaration>().ToList();
        Assert.Equal(["shell", "apply_patch", "mcp__files__read"], tools.Select(t => t.Name));
        var input = tools[1].JsonSchema.GetProperty("properties").GetProperty("input");
        Assert.Equal("string", input.GetProperty("type").GetString());
        Assert.Contains("start: /.+/", input.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(["input"], tools[1].JsonSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(true, request.Options.AdditionalProperties?["strictJsonSchema"]);
        Assert.Equal("apply_patch", Assert.IsType<RequiredChatToolMode>(request.Options.ToolMode).RequiredFunctionName);
        var context = Assert.IsType<ResponsesEdgeContext>(request.State);
        Assert.Equal(ResponsesToolKind.Custom, context.Tools.Resolve("apply_patch").Kind);
        Assert.Equal(("read", "mcp__files"), (context.Tools.Resolve("mcp__files__read").Name, context.Tools.Resolve("mcp__files__read").Namespace));
    }

    [Theory]
    [InlineData("web_search")]
    [InlineData("file_search")]
    [InlineData("code_interpreter")]
    public void HostedTool_ListedForRouting_AndToolsKeptAsSent(string type)
    {
        var request = Parse($$$"""{"model":"m","input":"x","tools":[{"type":"{{{type}}}"}],"tool_choice":{"type":"{{{type}}}"}}""");

        var extra = request.Options.AdditionalProperties!;
        Assert.Equal([type], Assert.IsType<List<string>>(extra[PassThroughKeys.OpenAIHostedTools]));
        Assert.Equal($$"""[{"type":"{{type}}"}]""", ((JsonElement)extra[PassThroughKeys.OpenAIResponsesFieldPrefix + "tools"]!).GetRawText());
        Assert.Equal(ChatToolMode.Auto, request.Options.ToolMode);
        Assert.Empty(request.Options.Tools!);
    }

    [Fact]
    public void ToolChoice_HostedToolNotOffered_Refused()
    {
        var error = Refused("""{"model":"m","input":"x","tool_choice":{"type":"web_search"}}""");

        Assert.Contains("'web_search'", error.Message, StringComparison.Ordinal);
        Assert.Equal("tool_choice.type", error.Param);
    }

    [Fact]
    public void NativeFields_MarkerAndTopLevelFieldsAsSent_InputNotCopied()
    {
        var request = Parse("""
            {"model":"m","input":"x","store":false,"include":["reasoning.encrypted_content"],"prompt_cache_key":"s1",
             "client_metadata":{"a":1},"previous_response_id":null,"service_tier":"priority"}
            """);

        var extra = request.Options.AdditionalProperties!;
        Assert.Equal(true, extra[PassThroughKeys.OpenAIResponses]);
        Assert.Equal("""["reasoning.encrypted_content"]""", ((JsonElement)extra[PassThroughKeys.OpenAIResponsesFieldPrefix + "include"]!).GetRawText());
        Assert.Equal("s1", ((JsonElement)extra[PassThroughKeys.OpenAIResponsesFieldPrefix + "prompt_cache_key"]!).GetString());
        Assert.Equal("""{"a":1}""", ((JsonElement)extra[PassThroughKeys.OpenAIResponsesFieldPrefix + "client_metadata"]!).GetRawText());
        Assert.False(extra.ContainsKey(PassThroughKeys.OpenAIResponsesFieldPrefix + "input"));
        Assert.False(extra.ContainsKey(PassThroughKeys.OpenAIResponsesFieldPrefix + "model"));
    }

    [Theory]
    [InlineData("\"auto\"", "auto")]
    [InlineData("\"none\"", "none")]
    [InlineData("\"required\"", "required")]
    [InlineData("""{"type":"function","name":"f"}""", "f")]
    [InlineData("""{"type":"allowed_tools","mode":"required","tools":[{"type":"function","name":"g"}]}""", "required:g")]
    public void ToolChoice_AllForms(string choice, string expected)
    {
        var request = Parse($$"""{"model":"m","input":"x","tool_choice":{{choice}},"tools":[{"type":"function","name":"f"},{"type":"function","name":"g"}]}""");

        var actual = request.Options.ToolMode switch
        {
            AutoChatToolMode => "auto",
            NoneChatToolMode => "none",
            RequiredChatToolMode { RequiredFunctionName: { } name } => name,
            RequiredChatToolMode => "required:" + string.Join(",", request.Options.Tools!.Select(t => t.Name)),
            _ => "?",
        };
        Assert.Equal(expected == "required" ? "required:f,g" : expected, actual);
    }

    [Fact]
    public void TextFormatJsonSchema_ReasoningEffort_UnknownFieldsIgnoredAndNotForwarded()
    {
        var request = Parse("""
            {"model":"m","input":"x","text":{"format":{"type":"json_schema","name":"out","schema":{"type":"object"},"strict":true},"verbosity":"low"},
             "reasoning":{"effort":"high","summary":"auto"},"store":false,"include":["reasoning.encrypted_content"],"prompt_cache_key":"k",
             "client_metadata":{"a":"b"},"metadata":{"t":"1"},"parallel_tool_calls":false,"brand_new_field":[1,2]}
            """);

        var format = Assert.IsType<ChatResponseFormatJson>(request.Options.ResponseFormat);
        Assert.Equal("out", format.SchemaName);
        Assert.Equal(ReasoningEffort.High, request.Options.Reasoning?.Effort);
        Assert.False(request.Options.AdditionalProperties?.ContainsKey("include") ?? false);
        Assert.False(request.Options.AdditionalProperties?.ContainsKey("brand_new_field") ?? false);
        Assert.False(request.Options.AllowMultipleToolCalls);
    }

    [Theory]
    [InlineData("""{"input":"x"}""", "model")]
    [InlineData("""{"model":"m"}""", "input")]
    [InlineData("""{"model":"m","input":"x","temperature":3}""", "temperature")]
    [InlineData("""{"model":"m","input":[{"role":"tool","content":"x"}]}""", "input[0].role")]
    [InlineData("""{"model":"m","input":[{"type":"item_reference"}]}""", "input[0].id")]
    [InlineData("""{"model":"m","input":[{"type":"function_call","call_id":"c","name":"f","arguments":"{not json"}]}""", "input[0].arguments")]
    [InlineData("""{"model":"m","input":"x","model":"n"}""", null)]
    public void BadInput_400NamingTheField(string json, string? param)
    {
        Assert.Equal(param, Refused(json).Param);
    }

    [Fact]
    public void PreviousResponseId_KeptForTheState_StoreDefaultsToTrue()
    {
        var request = Parse("""{"model":"m","input":[{"role":"user","content":"x"}],"previous_response_id":"resp_1"}""");

        var context = Assert.IsType<ResponsesEdgeContext>(request.State);
        Assert.Equal("resp_1", context.PreviousResponseId);
        Assert.True(context.Store);
        Assert.StartsWith("resp_", context.ResponseId, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Array, context.Input?.ValueKind);
        Assert.False(Assert.IsType<ResponsesEdgeContext>(Parse("""{"model":"m","input":"x","store":false}""").State).Store);
    }

    [Fact]
    public void PreviousResponseId_EmptyInputAccepted_TheStoredTurnsCome_Later()
    {
        var request = Parse("""{"model":"m","input":[],"previous_response_id":"resp_1"}""");

        Assert.Empty(request.Messages);
        Assert.Equal("input", Refused("""{"model":"m","input":[]}""").Param);
    }

    [Fact]
    public void Count_ModelOptional()
    {
        var request = ResponsesEdgeRequestMapper.Parse(Encoding.UTF8.GetBytes("""{"input":"x"}"""), forCount: true);

        Assert.Null(request.Model);
        Assert.Equal("x", Assert.Single(request.Messages).Text);
    }

    [Fact]
    public void EveryRequest_GetsItsOwnResponseId()
    {
        var ids = Enumerable.Range(0, 3).Select(_ => ((ResponsesEdgeContext)Parse("""{"model":"m","input":"x"}""").State!).ResponseId).ToHashSet();

        Assert.Equal(3, ids.Count);
    }
}
