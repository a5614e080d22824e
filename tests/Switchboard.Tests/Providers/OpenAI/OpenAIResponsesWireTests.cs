using System.Net;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Providers;
using Switchboard.Tests.TestSupport;
using static Switchboard.Tests.Providers.OpenAI.OpenAITestClients;

namespace Switchboard.Tests.Providers.OpenAI;

/// <summary>Golden wire tests of the native Responses path: the request writer, the reply decoder and the stream decoder.</summary>
public sealed class OpenAIResponsesWireTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static T WithItem<T>(T content, string item)
        where T : AIContent
    {
        (content.AdditionalProperties ??= [])[PassThroughKeys.OpenAIResponsesItem] = Json(item);
        return content;
    }

    /// <summary>Options as the Responses edge leaves them: the marker and the top-level fields as sent.</summary>
    private static ChatOptions NativeOptions(string model, params (string Name, string Json)[] fields)
    {
        var options = new ChatOptions { ModelId = model, AdditionalProperties = new() { [PassThroughKeys.OpenAIResponses] = true } };
        foreach (var (name, json) in fields)
        {
            options.AdditionalProperties[PassThroughKeys.OpenAIResponsesFieldPrefix + name] = Json(json);
        }

        return options;
    }

    [Fact]
    public async Task Send_CodexShaped_MatchesGoldenWireJson()
    {
        var handler = new RecordingHandler().ReplyWithFixture(Fixtures + "responses-stream.sse");
        var client = Create(handler);
        var developer = new ChatMessage(ChatRole.Assistant, "Reading the file.") { AdditionalProperties = new() { ["phase"] = "commentary" } };
        developer.Contents.Add(WithItem(new FunctionCallContent("call_1", "mcp__read", new Dictionary<string, object?> { ["path"] = "a.cs" }),
            """{"type": "function_call", "call_id": "call_1", "name": "read", "namespace": "mcp", "arguments": "{\"path\":\"a.cs\"}"}"""));
        List<ChatMessage> messages =
        [
            new(ChatRole.System, "You are a coding agent."),
            new(ChatRole.User, "Fix the bug."),
            new(ChatRole.Assistant, [WithItem(new TextReasoningContent(null),
                """{"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_text", "text": "Looked at it."}], "encrypted_content": "gAAAA-opaque=="}""")]),
            developer,
            new(ChatRole.Tool, [new FunctionResultContent("call_1", "class A {}")]),
            new(ChatRole.Assistant, [WithItem(new FunctionCallContent("call_2", "apply_patch", new Dictionary<string, object?> { ["input"] = "*** Begin Patch" }),
                """{"type": "custom_tool_call", "call_id": "call_2", "name": "apply_patch", "input": "*** Begin Patch"}""")]),
            new(ChatRole.Tool, [new FunctionResultContent("call_2", "Done.")]),
            new(ChatRole.Assistant, [new FunctionCallContent("call_3", "shell", new Dictionary<string, object?> { ["cmd"] = "ls" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call_3", "a.cs")]),
            // Another provider's reasoning (a signature OpenAI cannot verify) is never sent.
            new(ChatRole.Assistant, [new TextReasoningContent("Anthropic thought") { ProtectedData = "sig-from-anthropic" }]),
            new(ChatRole.System, "Be careful."),
            new(ChatRole.User, [new TextContent("Now test it."),
                new UriContent("https://example.com/x.png", "image/png") { AdditionalProperties = new() { ["detail"] = "low" } }]),
        ];
        var options = NativeOptions("gpt-5.1-codex",
            ("tools", """[{"type": "function", "name": "shell", "parameters": {"type": "object", "properties": {}}}, {"type": "custom", "name": "apply_patch"}, {"type": "web_search"}]"""),
            ("tool_choice", "\"auto\""),
            ("reasoning", """{"effort": "high", "summary": "auto"}"""),
            ("include", """["reasoning.encrypted_content"]"""),
            ("prompt_cache_key", "\"session-42\""),
            ("client_metadata", """{"originator": "codex_cli"}"""),
            ("store", "true"),
            ("previous_response_id", "\"resp_from_switchboard\""),
            ("conversation", "\"conv_1\""),
            ("temperature", "1.5"));
        options.Temperature = 0.5f;
        options.MaxOutputTokens = 4096;
        options.AllowMultipleToolCalls = true;
        options.Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High };
        options.Tools = [AIFunctionFactory.CreateDeclaration("shell", null, Json("""{"type":"object","properties":{}}"""))];

        await foreach (var _ in client.GetStreamingResponseAsync(messages, options))
        {
        }

        var request = Assert.Single(handler.Requests);
        Assert.Equal("https://api.openai.com/v1/responses", request.Uri.AbsoluteUri);
        Assert.Equal("Bearer " + ApiKey, request.Headers["Authorization"]);
        Assert.True(Fixture.JsonEquals(Fixture.Read(Fixtures + "responses-request-codex.json"), request.Body!), request.Body);
    }

    [Fact]
    public async Task Send_EncryptedReasoningItem_IsWrittenByteForByte()
    {
        const string Item = """{"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"gAAAA+/=\u00e9"}""";
        var handler = new RecordingHandler().ReplyWithFixture(Fixtures + "responses-reply.json");

        await Create(handler).GetResponseAsync(
            [new(ChatRole.User, "hi"), new(ChatRole.Assistant, [WithItem(new TextReasoningContent(null), Item)]), new(ChatRole.User, "go on")],
            NativeOptions("gpt-5"));

        Assert.Contains(Item, handler.Requests[0].Body!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_ReasoningItemWithoutEncryptedContent_IsDropped()
    {
        var handler = new RecordingHandler().ReplyWithFixture(Fixtures + "responses-reply.json");

        await Create(handler).GetResponseAsync(
            [new(ChatRole.User, "hi"), new(ChatRole.Assistant, [WithItem(new TextReasoningContent(null), """{"type":"reasoning","id":"rs_resp_x_0","summary":[]}""")]),
             new(ChatRole.User, "go on")],
            NativeOptions("gpt-5"));

        Assert.DoesNotContain("rs_resp_x_0", handler.Requests[0].Body!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ProviderTypes.OpenAICompatible, "http://127.0.0.1:9/v1/chat/completions")]
    [InlineData(ProviderTypes.AzureOpenAI, "https://res.openai.azure.com/openai/v1/responses")]
    public async Task Send_NativeMarker_OnlyOpenAIAndAzureCallResponses(string type, string expectedUri)
    {
        var baseUrl = type == ProviderTypes.AzureOpenAI ? "https://res.openai.azure.com/" : "http://127.0.0.1:9/v1";
        var reply = type == ProviderTypes.AzureOpenAI ? "responses-reply.json" : "response-text.json";
        var handler = new RecordingHandler().ReplyWithFixture(Fixtures + reply);
        var client = Create(handler, new ProviderOptions { Type = type, BaseUrl = new Uri(baseUrl), ApiKey = ApiKey });

        await client.GetResponseAsync([new(ChatRole.User, "hi")], NativeOptions("gpt-5", ("prompt_cache_key", "\"k\"")));

        var request = Assert.Single(handler.Requests);
        Assert.Equal(expectedUri, request.Uri.AbsoluteUri);
        Assert.Equal(type == ProviderTypes.AzureOpenAI, request.Body!.Contains("prompt_cache_key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_NativeReply_MapsTextCallsUsage_AndKeepsItemsAsSent()
    {
        var handler = new RecordingHandler().ReplyWithFixture(Fixtures + "responses-reply.json");

        var response = await Create(handler).GetResponseAsync([new(ChatRole.User, "hi")], NativeOptions("gpt-5.1-codex"));

        var contents = response.Messages.Single().Contents;
        Assert.Equal(4, contents.Count);
        var reasoning = Assert.IsType<TextReasoningContent>(contents[0]);
        Assert.Equal("Plan: search.\n\nThen call.", reasoning.Text);
        Assert.Contains("\"encrypted_content\": \"gAAAA-new==\"", Raw(reasoning), StringComparison.Ordinal);
        Assert.Contains("web_search_call", Raw(contents[1]), StringComparison.Ordinal);
        Assert.Equal("Found it.", Assert.IsType<TextContent>(contents[2]).Text);
        var call = Assert.IsType<FunctionCallContent>(contents[3]);
        Assert.Equal(("call_9", "mcp__read"), (call.CallId, call.Name));
        Assert.Equal("b.cs", call.Arguments!["path"]?.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal("resp_abc", response.ResponseId);
        Assert.Equal((1200L, 300L, 1500L, 1024L, 200L), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount,
            response.Usage.TotalTokenCount, response.Usage.CachedInputTokenCount, response.Usage.ReasoningTokenCount));
    }

    [Fact]
    public async Task Stream_NativeEvents_TextAsDeltas_ItemsWhole_UsageLast()
    {
        var handler = new RecordingHandler().ReplyWithFixture(Fixtures + "responses-stream.sse");
        var updates = new List<ChatResponseUpdate>();

        await foreach (var update in Create(handler).GetStreamingResponseAsync([new(ChatRole.User, "hi")], NativeOptions("gpt-5.1-codex")))
        {
            updates.Add(update);
        }

        var contents = updates.SelectMany(u => u.Contents).ToList();
        Assert.IsType<TextReasoningContent>(contents[0]);
        Assert.Contains("gAAAA-stream==", Raw(contents[0]), StringComparison.Ordinal);
        Assert.Equal("Hello.", string.Concat(contents.OfType<TextContent>().Select(t => t.Text)));
        var call = Assert.Single(contents.OfType<FunctionCallContent>());
        Assert.Equal("*** Begin Patch", call.Arguments!["input"]);
        Assert.StartsWith("""{"id":"ctc_s1","type":"custom_tool_call",""", Raw(call), StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.ToolCalls, updates.Single(u => u.FinishReason is not null).FinishReason);
        var usage = Assert.IsType<UsageContent>(contents[^1]).Details;
        Assert.Equal((50L, 20L, 8L), (usage.InputTokenCount, usage.OutputTokenCount, usage.ReasoningTokenCount));
        Assert.All(updates, u => Assert.Equal("resp_s1", u.ResponseId));
    }

    [Fact]
    public async Task Stream_ResponseFailed_IsAProviderErrorWithItsCode()
    {
        var handler = new RecordingHandler().ReplyWithFixture(Fixtures + "responses-stream-failed.sse");
        var texts = new List<string>();

        var error = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var update in Create(handler).GetStreamingResponseAsync([new(ChatRole.User, "hi")], NativeOptions("gpt-5")))
            {
                texts.Add(update.Text);
            }
        });

        Assert.Equal(["Hi"], texts);
        Assert.Equal(ProviderErrorKind.RateLimited, error.Kind);
        Assert.Equal("rate_limit_exceeded", error.ProviderCode);
    }

    [Fact]
    public async Task Stream_EndsWithoutTerminalEvent_IsANetworkError()
    {
        var sse = string.Join("\n\n", Fixture.Read(Fixtures + "responses-stream.sse").Split("\n\n").SkipLast(2)) + "\n\n";
        var handler = new RecordingHandler().Reply(HttpStatusCode.OK, sse, "text/event-stream");

        var error = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var _ in Create(handler).GetStreamingResponseAsync([new(ChatRole.User, "hi")], NativeOptions("gpt-5")))
            {
            }
        });

        Assert.Equal(ProviderErrorKind.Network, error.Kind);
    }

    [Fact]
    public async Task Get_HttpError_MappedLikeChatCompletions()
    {
        var handler = new RecordingHandler().Reply(HttpStatusCode.BadRequest,
            """{"error":{"message":"The encrypted content for item rs_1 could not be verified.","type":"invalid_request_error","param":null,"code":"invalid_encrypted_content"}}""");

        var error = await Assert.ThrowsAsync<ProviderException>(() => Create(handler).GetResponseAsync([new(ChatRole.User, "hi")], NativeOptions("gpt-5")));

        Assert.Equal(ProviderErrorKind.InvalidRequest, error.Kind);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("invalid_encrypted_content", error.ProviderCode);
    }

    private static string Raw(AIContent content) =>
        ((JsonElement)content.AdditionalProperties![PassThroughKeys.OpenAIResponsesItem]!).GetRawText();
}
