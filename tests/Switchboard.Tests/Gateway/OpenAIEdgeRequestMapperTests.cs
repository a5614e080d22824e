using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Gateway.Edges;
using Switchboard.Gateway.Edges.OpenAI;

namespace Switchboard.Tests.Gateway;

public sealed class OpenAIEdgeRequestMapperTests
{
    private static EdgeRequest Parse(string json) => OpenAIEdgeRequestMapper.Parse(Encoding.UTF8.GetBytes(json));

    private static EdgeRequestException Reject(string json) => Assert.Throws<EdgeRequestException>(() => Parse(json));

    private const string RichRequest = """
        {
          "model": "gpt-4o-mini",
          "messages": [
            {"role": "developer", "content": "You are terse."},
            {"role": "system", "content": [{"type": "text", "text": "Be kind."}]},
            {"role": "user", "name": "ann", "content": [
              {"type": "text", "text": "Describe the picture, then get Paris weather."},
              {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo=", "detail": "low"}},
              {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg"}}
            ]},
            {"role": "assistant", "content": null, "tool_calls": [
              {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\",\"days\":2}"}},
              {"id": "call_2", "type": "function", "function": {"name": "now", "arguments": ""}}
            ]},
            {"role": "tool", "tool_call_id": "call_1", "content": "{\"temp_c\":18}"},
            {"role": "tool", "tool_call_id": "call_2", "content": [{"type": "text", "text": "noon"}]},
            {"role": "assistant", "content": "It is 18C."},
            {"role": "user", "content": "Thanks"}
          ],
          "temperature": 0.2,
          "top_p": 0.9,
          "max_completion_tokens": 256,
          "max_tokens": 100,
          "stop": ["\n\n\n", "END"],
          "seed": 42,
          "frequency_penalty": 0.5,
          "presence_penalty": -0.5,
          "n": 1,
          "tools": [{"type": "function", "function": {
            "name": "get_weather", "description": "Current weather for a city",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
            "strict": true}}],
          "tool_choice": "auto",
          "parallel_tool_calls": false,
          "user": "u-1",
          "logit_bias": {"50256": -100},
          "reasoning_effort": "low",
          "x_vendor": {"a": [1, 2]},
          "stream": true,
          "stream_options": {"include_usage": true}
        }
        """;

    [Fact]
    public void Parse_RichRequest_MapsMessages()
    {
        var request = Parse(RichRequest);

        Assert.Equal("gpt-4o-mini", request.Model);
        var m = request.Messages;
        Assert.Equal(8, m.Count);
        Assert.Equal(ChatRole.System, m[0].Role);
        Assert.Equal("You are terse.", m[0].Text);
        Assert.Equal(ChatRole.System, m[1].Role);
        Assert.Equal("Be kind.", m[1].Text);

        Assert.Equal(ChatRole.User, m[2].Role);
        Assert.Equal("ann", m[2].AuthorName);
        Assert.Equal("Describe the picture, then get Paris weather.", Assert.IsType<TextContent>(m[2].Contents[0]).Text);
        var data = Assert.IsType<DataContent>(m[2].Contents[1]);
        Assert.Equal("image/png", data.MediaType);
        Assert.Equal(Convert.FromBase64String("iVBORw0KGgo="), data.Data.ToArray());
        Assert.Equal("low", data.AdditionalProperties?["detail"]);
        var uri = Assert.IsType<UriContent>(m[2].Contents[2]);
        Assert.Equal(new Uri("https://example.com/cat.jpg"), uri.Uri);
        Assert.Equal("image/*", uri.MediaType);

        Assert.Equal(ChatRole.Assistant, m[3].Role);
        var call = Assert.IsType<FunctionCallContent>(m[3].Contents[0]);
        Assert.Equal(("call_1", "get_weather"), (call.CallId, call.Name));
        Assert.Equal("Paris", Assert.IsType<JsonElement>(call.Arguments!["city"]).GetString());
        Assert.Equal(2, Assert.IsType<JsonElement>(call.Arguments["days"]).GetInt32());
        var noArgs = Assert.IsType<FunctionCallContent>(m[3].Contents[1]);
        Assert.Empty(noArgs.Arguments!);

        Assert.Equal(ChatRole.Tool, m[4].Role);
        var result = Assert.IsType<FunctionResultContent>(Assert.Single(m[4].Contents));
        Assert.Equal(("call_1", (object?)"{\"temp_c\":18}"), (result.CallId, result.Result));
        Assert.Equal("noon", Assert.IsType<FunctionResultContent>(Assert.Single(m[5].Contents)).Result);
        Assert.Equal("It is 18C.", m[6].Text);
        Assert.Equal(ChatRole.User, m[7].Role);
    }

    [Fact]
    public void Parse_RichRequest_MapsOptions()
    {
        var request = Parse(RichRequest);
        var o = request.Options;

        Assert.True(request.Stream);
        Assert.True(request.IncludeUsage);
        Assert.Equal("gpt-4o-mini", o.ModelId);
        Assert.Equal(0.2f, o.Temperature);
        Assert.Equal(0.9f, o.TopP);
        Assert.Equal(256, o.MaxOutputTokens); // max_completion_tokens wins over legacy max_tokens
        Assert.Equal(["\n\n\n", "END"], o.StopSequences!);
        Assert.Equal(42, o.Seed);
        Assert.Equal(0.5f, o.FrequencyPenalty);
        Assert.Equal(-0.5f, o.PresencePenalty);
        Assert.False(o.AllowMultipleToolCalls);
        Assert.Equal(ChatToolMode.Auto, o.ToolMode);

        var tool = Assert.IsAssignableFrom<AIFunctionDeclaration>(Assert.Single(o.Tools!));
        Assert.Equal("get_weather", tool.Name);
        Assert.Equal("Current weather for a city", tool.Description);
        Assert.Equal("string", tool.JsonSchema.GetProperty("properties").GetProperty("city").GetProperty("type").GetString());
        Assert.Equal(true, o.AdditionalProperties![OpenAIEdgeRequestMapper.StrictKey]);
    }

    [Fact]
    public void Parse_UnknownAndUnmappedFields_PassThroughAsJsonElements()
    {
        var extra = Parse(RichRequest).Options.AdditionalProperties!;

        Assert.Equal("u-1", Assert.IsType<JsonElement>(extra["user"]).GetString());
        Assert.Equal(-100, Assert.IsType<JsonElement>(extra["logit_bias"]).GetProperty("50256").GetInt32());
        Assert.Equal("low", Assert.IsType<JsonElement>(extra["reasoning_effort"]).GetString());
        Assert.Equal("""{"a":[1,2]}""", Assert.IsType<JsonElement>(extra["x_vendor"]).GetRawText().Replace(" ", ""));
        Assert.False(Assert.IsType<JsonElement>(extra["parallel_tool_calls"]).GetBoolean());
        foreach (var mapped in new[] { "model", "messages", "temperature", "tools", "tool_choice", "stop", "stream", "stream_options", "n", "max_tokens" })
        {
            Assert.False(extra.ContainsKey(mapped), mapped);
        }
    }

    [Fact]
    public void Parse_Minimal_HasDefaults()
    {
        var request = Parse("""{"model":"auto","messages":[{"role":"user","content":"hi"}]}""");

        Assert.False(request.Stream);
        Assert.False(request.IncludeUsage);
        Assert.Null(request.Options.Temperature);
        Assert.Null(request.Options.MaxOutputTokens);
        Assert.Null(request.Options.AdditionalProperties);
        Assert.Equal("hi", Assert.Single(request.Messages).Text);
    }

    [Fact]
    public void Parse_IncludeUsageWithoutStream_IsFalse()
    {
        Assert.False(Parse("""{"model":"m","messages":[{"role":"user","content":"hi"}],"stream_options":{"include_usage":true}}""").IncludeUsage);
    }

    [Fact]
    public void Parse_StopString_IsOneSequence()
    {
        var request = Parse("""{"model":"m","messages":[{"role":"user","content":"hi"}],"stop":"END","max_tokens":5}""");

        Assert.Equal(["END"], request.Options.StopSequences!);
        Assert.Equal(5, request.Options.MaxOutputTokens);
    }

    [Theory]
    [InlineData("\"none\"", "none")]
    [InlineData("\"auto\"", "auto")]
    [InlineData("\"required\"", "any")]
    [InlineData("""{"type":"function","function":{"name":"get_weather"}}""", "get_weather")]
    public void Parse_ToolChoice_MapsToToolMode(string choice, string expected)
    {
        var mode = Parse($$"""{"model":"m","messages":[{"role":"user","content":"hi"}],"tool_choice":{{choice}}}""").Options.ToolMode;

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

    [Fact]
    public void Parse_ResponseFormatJsonSchema_MapsSchemaNameAndDescription()
    {
        var format = Parse("""
            {"model":"m","messages":[{"role":"user","content":"hi"}],
             "response_format":{"type":"json_schema","json_schema":{"name":"answer","description":"The answer","strict":true,
               "schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}}
            """).Options.ResponseFormat;

        var json = Assert.IsType<ChatResponseFormatJson>(format);
        Assert.Equal("answer", json.SchemaName);
        Assert.Equal("The answer", json.SchemaDescription);
        Assert.Equal("object", json.Schema!.Value.GetProperty("type").GetString());
    }

    [Fact]
    public void Parse_ResponseFormatJsonObject_IsJsonWithoutSchema()
    {
        var format = Parse("""{"model":"m","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_object"}}""").Options.ResponseFormat;

        Assert.Null(Assert.IsType<ChatResponseFormatJson>(format).Schema);
    }

    [Theory]
    [InlineData("not json", null)]
    [InlineData("[1,2]", null)]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":5,"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"m"}""", "messages")]
    [InlineData("""{"model":"m","messages":[]}""", "messages")]
    [InlineData("""{"model":"m","messages":"hi"}""", "messages")]
    [InlineData("""{"model":"m","messages":[{"content":"hi"}]}""", "messages[0].role")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a"},{"role":"bot","content":"hi"}]}""", "messages[1].role")]
    [InlineData("""{"model":"m","messages":[{"role":"user"}]}""", "messages[0].content")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":5}]}""", "messages[0].content")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"video"}]}]}""", "messages[0].content[0].type")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"ftp://x/y.png"}}]}]}""", "messages[0].content[0].image_url.url")]
    [InlineData("""{"model":"m","messages":[{"role":"tool","content":"r"}]}""", "messages[0].tool_call_id")]
    [InlineData("""{"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{oops"}}]}]}""", "messages[0].tool_calls[0].function.arguments")]
    [InlineData("""{"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"arguments":"{}"}}]}]}""", "messages[0].tool_calls[0].function.name")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":"hot"}""", "temperature")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":2.5}""", "temperature")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"top_p":-0.1}""", "top_p")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"n":2}""", "n")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":0}""", "max_tokens")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":1.5}""", "max_completion_tokens")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"seed":"x"}""", "seed")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"stop":[1]}""", "stop[0]")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":"yes"}""", "stream")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"stream_options":{"include_usage":1}}""", "stream_options.include_usage")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"custom","custom":{}}]}""", "tools[0].type")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{}}]}""", "tools[0].function.name")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"tool_choice":"always"}""", "tool_choice")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"tool_choice":{"type":"function","function":{}}}""", "tool_choice.function.name")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"yaml"}}""", "response_format.type")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema"}}""", "response_format.json_schema")]
    public void Parse_InvalidRequest_NamesTheParam(string json, string? param)
    {
        var error = Reject(json);

        Assert.Equal(param, error.Param);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        if (param is not null)
        {
            Assert.Contains(param, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parse_MissingModel_UsesOpenAIWording()
    {
        Assert.Equal("you must provide a model parameter", Reject("""{"messages":[{"role":"user","content":"hi"}]}""").Message);
    }

    [Fact]
    public void Parse_WrongType_UsesOpenAIWording()
    {
        var error = Reject("""{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":"hot"}""");

        Assert.Equal("Invalid type for 'temperature': expected a decimal, but got a string instead.", error.Message);
    }

    [Fact]
    public void Parse_OutOfRange_UsesOpenAIWording()
    {
        var error = Reject("""{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":3}""");

        Assert.Equal("Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 3 instead.", error.Message);
    }
}
