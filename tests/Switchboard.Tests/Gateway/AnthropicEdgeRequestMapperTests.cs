using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Gateway.Edges;
using Switchboard.Gateway.Edges.Anthropic;

namespace Switchboard.Tests.Gateway;

public sealed class AnthropicEdgeRequestMapperTests
{
    private static EdgeRequest Parse(string json) => AnthropicEdgeRequestMapper.Parse(Encoding.UTF8.GetBytes(json));

    private const string RichRequest = """
        {
          "model": "claude-haiku-4-5",
          "max_tokens": 1024,
          "system": [{"type": "text", "text": "You are terse."}, {"type": "text", "text": " Be kind.", "cache_control": {"type": "ephemeral"}}],
          "messages": [
            {"role": "user", "content": [
              {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
              {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.jpg"}},
              {"type": "text", "text": "Describe the picture, then get Paris weather."}
            ]},
            {"role": "assistant", "content": [
              {"type": "thinking", "thinking": "Need weather.", "signature": "sig=="},
              {"type": "text", "text": "Checking."},
              {"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {"city": "Paris"}}
            ]},
            {"role": "user", "content": [
              {"type": "tool_result", "tool_use_id": "toolu_01", "content": "{\"temp_c\":18}"},
              {"type": "tool_result", "tool_use_id": "toolu_02", "content": [{"type": "text", "text": "no"}, {"type": "text", "text": "pe"}], "is_error": true}
            ]},
            {"role": "assistant", "content": "It is 18C."}
          ],
          "temperature": 0.2,
          "top_p": 0.8,
          "top_k": 40,
          "stop_sequences": ["###"],
          "tools": [{"name": "get_weather", "description": "Current weather for a city",
                     "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}],
          "tool_choice": {"type": "auto", "disable_parallel_tool_use": true},
          "metadata": {"user_id": "u-1"},
          "thinking": {"type": "enabled", "budget_tokens": 2048},
          "service_tier": "auto",
          "stream": true
        }
        """;

    [Fact]
    public void Parse_RichRequest_MapsMessages()
    {
        var m = Parse(RichRequest).Messages;

        Assert.Equal(5, m.Count);
        Assert.Equal(ChatRole.System, m[0].Role);
        Assert.Equal("You are terse. Be kind.", m[0].Text);

        var data = Assert.IsType<DataContent>(m[1].Contents[0]);
        Assert.Equal("image/png", data.MediaType);
        Assert.Equal(Convert.FromBase64String("iVBORw0KGgo="), data.Data.ToArray());
        Assert.Equal(new Uri("https://example.com/cat.jpg"), Assert.IsType<UriContent>(m[1].Contents[1]).Uri);
        Assert.Equal("Describe the picture, then get Paris weather.", Assert.IsType<TextContent>(m[1].Contents[2]).Text);

        Assert.Equal(ChatRole.Assistant, m[2].Role);
        var thinking = Assert.IsType<TextReasoningContent>(m[2].Contents[0]);
        Assert.Equal(("Need weather.", "sig=="), (thinking.Text, thinking.ProtectedData));
        Assert.Equal("Checking.", Assert.IsType<TextContent>(m[2].Contents[1]).Text);
        var call = Assert.IsType<FunctionCallContent>(m[2].Contents[2]);
        Assert.Equal(("toolu_01", "get_weather"), (call.CallId, call.Name));
        Assert.Equal("Paris", Assert.IsType<JsonElement>(call.Arguments!["city"]).GetString());

        Assert.Equal(ChatRole.User, m[3].Role);
        var ok = Assert.IsType<FunctionResultContent>(m[3].Contents[0]);
        Assert.Equal(("toolu_01", (object?)"{\"temp_c\":18}"), (ok.CallId, ok.Result));
        Assert.Null(ok.AdditionalProperties);
        var failed = Assert.IsType<FunctionResultContent>(m[3].Contents[1]);
        Assert.Equal("nope", failed.Result);
        Assert.Equal(true, failed.AdditionalProperties![AnthropicEdgeMessageMapper.IsErrorKey]);

        Assert.Equal("It is 18C.", m[4].Text);
    }

    [Fact]
    public void Parse_RichRequest_MapsOptions()
    {
        var request = Parse(RichRequest);
        var o = request.Options;

        Assert.Equal("claude-haiku-4-5", request.Model);
        Assert.Equal("claude-haiku-4-5", o.ModelId);
        Assert.True(request.Stream);
        Assert.True(request.IncludeUsage);
        Assert.Equal(1024, o.MaxOutputTokens);
        Assert.Equal(0.2f, o.Temperature);
        Assert.Equal(0.8f, o.TopP);
        Assert.Equal(40, o.TopK);
        Assert.Equal(["###"], o.StopSequences!);
        Assert.Equal(ChatToolMode.Auto, o.ToolMode);
        Assert.False(o.AllowMultipleToolCalls);
        var tool = Assert.IsAssignableFrom<AIFunctionDeclaration>(Assert.Single(o.Tools!));
        Assert.Equal(("get_weather", "Current weather for a city"), (tool.Name, tool.Description));
        Assert.Equal("city", tool.JsonSchema.GetProperty("required")[0].GetString());

        var extra = o.AdditionalProperties!;
        // Kept for an Anthropic upstream only (the prefix keeps them from OpenAI-protocol upstreams).
        Assert.Equal(2048, Assert.IsType<JsonElement>(extra["switchboard.anthropic.thinking"]).GetProperty("budget_tokens").GetInt32());
        Assert.Equal("auto", Assert.IsType<JsonElement>(extra["switchboard.anthropic.service_tier"]).GetString());
        // metadata and the tools as sent are kept for an Anthropic upstream too (the tools are also mapped above).
        Assert.True(extra.ContainsKey("switchboard.anthropic.metadata"));
        Assert.True(extra.ContainsKey("switchboard.anthropic.tools"));
        Assert.False(extra.ContainsKey("metadata"));
        Assert.Equal(4, extra.Count);
    }

    [Fact]
    public void Parse_StringSystemAndContent_Minimal()
    {
        var request = Parse("""{"model":"claude-sonnet-4-6","max_tokens":5,"system":"Be brief.","messages":[{"role":"user","content":"hi"}]}""");

        Assert.False(request.Stream);
        Assert.Equal(2, request.Messages.Count);
        Assert.Equal("Be brief.", request.Messages[0].Text);
        Assert.Equal("hi", request.Messages[1].Text);
        Assert.Null(request.Options.AdditionalProperties);
    }

    [Theory]
    [InlineData("""{"type":"auto"}""", "auto")]
    [InlineData("""{"type":"any"}""", "any")]
    [InlineData("""{"type":"none"}""", "none")]
    [InlineData("""{"type":"tool","name":"get_weather"}""", "get_weather")]
    public void Parse_ToolChoice_MapsToToolMode(string choice, string expected)
    {
        var mode = Parse($$"""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"tool_choice":{{choice}}}""").Options.ToolMode;

        var actual = mode switch
        {
            NoneChatToolMode => "none",
            AutoChatToolMode => "auto",
            RequiredChatToolMode { RequiredFunctionName: null } => "any",
            RequiredChatToolMode r => r.RequiredFunctionName,
            _ => "?",
        };
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("{", null)]
    [InlineData("\"text\"", null)]
    [InlineData("""{"max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""", "max_tokens")]
    [InlineData("""{"model":"m","max_tokens":0,"messages":[{"role":"user","content":"hi"}]}""", "max_tokens")]
    [InlineData("""{"model":"m","max_tokens":"5","messages":[{"role":"user","content":"hi"}]}""", "max_tokens")]
    [InlineData("""{"model":"m","max_tokens":5}""", "messages")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[]}""", "messages")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"tool","content":"hi"}]}""", "messages.0.role")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user"}]}""", "messages.0.content")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"audio"}]}]}""", "messages.0.content.0.type")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"!!"}}]}]}""", "messages.0.content.0.source.data")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result","content":"x"}]}]}""", "messages.0.content.0.tool_use_id")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":[]}]}]}""", "messages.0.content.0.input")]
    [InlineData("""{"model":"m","max_tokens":5,"system":5,"messages":[{"role":"user","content":"hi"}]}""", "system")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"temperature":1.5}""", "temperature")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"temperature":"hot"}""", "temperature")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"top_k":-1}""", "top_k")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"stop_sequences":"###"}""", "stop_sequences")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"f"}]}""", "tools.0.input_schema")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"web_search_20250305"}]}""", "tools.0.name")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"tool_choice":{"type":"tool"}}""", "tool_choice.name")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"tool_choice":{"type":"maybe"}}""", "tool_choice.type")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"stream":1}""", "stream")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"thinking":true}""", "thinking")]
    public void Parse_InvalidRequest_NamesTheParam(string json, string? param)
    {
        var error = Assert.Throws<EdgeRequestException>(() => Parse(json));

        Assert.Equal(param, error.Param);
        if (param is not null)
        {
            Assert.StartsWith(param + ": ", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parse_MissingMaxTokens_UsesAnthropicWording()
    {
        var error = Assert.Throws<EdgeRequestException>(() => Parse("""{"model":"m","messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal("max_tokens: Field required", error.Message);
    }

    [Fact]
    public void Parse_TemperatureAboveOne_UsesAnthropicWording()
    {
        var error = Assert.Throws<EdgeRequestException>(() =>
            Parse("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"temperature":1.5}"""));

        Assert.Equal("temperature: Input should be less than or equal to 1", error.Message);
    }
}
