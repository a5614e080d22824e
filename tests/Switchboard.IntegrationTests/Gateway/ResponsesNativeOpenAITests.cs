#pragma warning disable OPENAI001 // the Responses client is marked experimental in the OpenAI package
using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json;
using OpenAI.Responses;
using Switchboard.Emulator;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>
/// A client that speaks Responses, routed to an <c>openai</c> provider: the gateway calls the emulator's <c>/v1/responses</c> natively,
/// so encrypted reasoning, hosted tools and <c>prompt_cache_key</c> survive; OpenAI-compatible servers stay on Chat Completions.
/// </summary>
public sealed class ResponsesNativeOpenAITests : IAsyncLifetime
{
    private const string Tools = """
        [{"type":"function","name":"shell_command","parameters":{"type":"object","properties":{"command":{"type":"string"}},"required":["command"]}},
         {"type":"custom","name":"apply_patch","format":{"type":"grammar","syntax":"lark","definition":"start: /.+/"}}]
        """;

    private GatewayFixture _fx = null!;

    public async ValueTask InitializeAsync() => _fx = await GatewayFixture.StartAsync(config =>
    {
        config["Switchboard:Providers:compat:Type"] = "openai-compatible";
        config["Switchboard:Providers:compat:BaseUrl"] = config["Switchboard:Providers:openai:BaseUrl"] + "v1"; // the emulator's address
        config["Switchboard:Models:codex:Targets:0"] = "openai/gpt-4.1";
        config["Switchboard:Models:codex:Targets:1"] = "anthropic/claude-sonnet-4-6";
    });

    public ValueTask DisposeAsync() => _fx.DisposeAsync();

    private static string CodexBody(string model, string reasoningItem) => $$"""
        {"model":"{{model}}","instructions":"You are Codex.","stream":true,"store":false,"tool_choice":"auto","parallel_tool_calls":true,
         "reasoning":{"effort":"medium","summary":"auto"},"include":["reasoning.encrypted_content"],"prompt_cache_key":"session-7",
         "client_metadata":{"originator":"codex_exec"},"tools":{{Tools}},
         "input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"list the files"}]},
                  {{reasoningItem}},
                  {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Looking."}]},
                  {"type":"message","role":"user","content":[{"type":"input_text","text":"go on"}]}]}
        """;

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string body)
    {
        using var response = await _fx.Http.PostAsync("v1/responses", new StringContent(body, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private EmulatorRequest LastResponsesRequest() => _fx.Emulator.Requests.Last(r => r.Path == "/v1/responses");

    [Fact]
    public async Task Codex_ToOpenAI_ForwardsNativeFieldsAndReasoning_ReturnsEncryptedReasoning()
    {
        var reasoningItem = $$"""{"type":"reasoning","id":"rs_prev","summary":[{"type":"summary_text","text":"Earlier thought."}],"encrypted_content":"{{ReasoningSeal.Mint("rs_prev")}}"}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/responses")
        {
            Content = new StringContent(CodexBody("openai/gpt-4.1", reasoningItem), Encoding.UTF8, "application/json"),
        };
        using var response = await _fx.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var frames = await Sse.ReadAllAsync(response);

        // What the emulator (OpenAI) received: the reasoning item byte for byte, the fields only Responses has, store false.
        var sent = LastResponsesRequest();
        Assert.Contains(reasoningItem, sent.Body, StringComparison.Ordinal);
        using var upstream = JsonDocument.Parse(sent.Body);
        var root = upstream.RootElement;
        Assert.Equal("session-7", root.GetProperty("prompt_cache_key").GetString());
        Assert.Equal("reasoning.encrypted_content", root.GetProperty("include")[0].GetString());
        Assert.Equal("codex_exec", root.GetProperty("client_metadata").GetProperty("originator").GetString());
        Assert.False(root.GetProperty("store").GetBoolean());
        Assert.False(root.TryGetProperty("previous_response_id", out _));
        Assert.Equal("custom", root.GetProperty("tools")[1].GetProperty("type").GetString());
        Assert.Equal("You are Codex.", root.GetProperty("instructions").GetString());

        // What the client got: a reasoning item carrying the upstream's encrypted content, before the message, at done and in completed.
        Assert.Equal("response.completed", frames[^1].Event);
        var doneItems = frames.Where(f => f.Event == "response.output_item.done").Select(f => Sse.Json(f.Data).GetProperty("item")).ToList();
        Assert.Equal(["reasoning", "message"], doneItems.Select(i => i.GetProperty("type").GetString()));
        var blob = doneItems[0].GetProperty("encrypted_content").GetString()!;
        Assert.True(ReasoningSeal.Verify(blob, doneItems[0].GetProperty("id").GetString()));
        Assert.Contains(frames, f => f.Event == "response.reasoning_summary_text.delta");
        var completed = Sse.Json(frames[^1].Data).GetProperty("response");
        Assert.Equal(blob, completed.GetProperty("output")[0].GetProperty("encrypted_content").GetString());
        var usage = completed.GetProperty("usage");
        Assert.True(usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32() > 0);
        Assert.True(usage.GetProperty("output_tokens_details").GetProperty("reasoning_tokens").GetInt32() > 0);
        for (var i = 0; i < frames.Count; i++)
        {
            Assert.Equal(i, Sse.Json(frames[i].Data).GetProperty("sequence_number").GetInt32());
        }
    }

    [Fact]
    public async Task HostedCallItemsInTheHistory_GoToOpenAIAsSent_AndNowhereElse()
    {
        // A turn after a web search, as Codex resends it: the reasoning item, then the web_search_call it led to. OpenAI
        // refuses a reasoning item sent without the item that followed it, so both must reach it, in order, as sent.
        var reasoningItem = $$"""{"type":"reasoning","id":"rs_ws","summary":[],"encrypted_content":"{{ReasoningSeal.Mint("rs_ws")}}"}""";
        const string SearchItem = """{"type":"web_search_call","id":"ws_1","status":"completed","action":{"type":"search","query":"dotnet 10 release"}}""";

        var (status, body) = await PostAsync(CodexBody("openai/gpt-4.1", reasoningItem + "," + SearchItem).Replace("\"stream\":true", "\"stream\":false", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(reasoningItem + "," + SearchItem, LastResponsesRequest().Body, StringComparison.Ordinal);

        (status, body) = await PostAsync(CodexBody("anthropic/claude-sonnet-4-6", reasoningItem + "," + SearchItem).Replace("\"stream\":true", "\"stream\":false", StringComparison.Ordinal));

        Assert.True(status == HttpStatusCode.OK, body);
        var sent = _fx.Emulator.Requests.Last(r => r.Path == "/v1/messages");
        Assert.DoesNotContain("ws_1", sent.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet 10 release", sent.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoredCustomToolCall_ChainedWithPreviousResponseId_GoesBackToOpenAIAsACustomToolCall()
    {
        // The Agents SDK's way: store, then chain; the stored turn's custom tool call must reach OpenAI as the kind it was.
        var first = $$"""
            {"model":"openai/gpt-4.1","store":true,"tools":{{Tools}},"tool_choice":{"type":"custom","name":"apply_patch"},
             "input":"patch the readme"}
            """;
        var (status, body) = await PostAsync(first);
        Assert.True(status == HttpStatusCode.OK, body);
        using var answer = JsonDocument.Parse(body);
        var call = answer.RootElement.GetProperty("output").EnumerateArray().Single(i => i.GetProperty("type").GetString() == "custom_tool_call");
        var callId = call.GetProperty("call_id").GetString();

        var second = $$"""
            {"model":"openai/gpt-4.1","store":true,"tools":{{Tools}},"previous_response_id":"{{answer.RootElement.GetProperty("id").GetString()}}",
             "input":[{"type":"custom_tool_call_output","call_id":"{{callId}}","output":"patched"}]}
            """;
        (status, body) = await PostAsync(second);

        Assert.True(status == HttpStatusCode.OK, body);
        using var sent = JsonDocument.Parse(LastResponsesRequest().Body);
        var items = sent.RootElement.GetProperty("input").EnumerateArray().ToList();
        var replayed = Assert.Single(items, i => i.TryGetProperty("call_id", out var id) && id.GetString() == callId && i.GetProperty("type").GetString()!.EndsWith("_call", StringComparison.Ordinal));
        Assert.Equal("custom_tool_call", replayed.GetProperty("type").GetString());
        Assert.Contains(items, i => i.GetProperty("type").GetString() == "custom_tool_call_output");
        Assert.False(sent.RootElement.TryGetProperty("previous_response_id", out _));
    }

    [Fact]
    public async Task Codex_OpenAIDownFromTheFirstRequest_FailsOverToAnthropic_WithoutOpenAIsReasoning()
    {
        // A cold gateway whose OpenAI provider is already failing: the first Codex turn on a route of OpenAI then Anthropic
        // is answered by Anthropic, in the same stream, and OpenAI's encrypted reasoning never leaves for Anthropic.
        _fx.Emulator.Options.ProviderFaults["openai"] = "status=503";
        var triedBefore = _fx.Emulator.Requests.Count(r => r.Path == "/v1/responses");
        try
        {
            var reasoningItem = $$"""{"type":"reasoning","id":"rs_down","summary":[],"encrypted_content":"{{ReasoningSeal.Mint("rs_down")}}"}""";
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/responses")
            {
                Content = new StringContent(CodexBody("codex", reasoningItem), Encoding.UTF8, "application/json"),
            };
            using var response = await _fx.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("anthropic", response.Headers.GetValues("x-switchboard-provider").Single());
            var frames = await Sse.ReadAllAsync(response);
            Assert.Equal("response.completed", frames[^1].Event);
            Assert.True(_fx.Emulator.Requests.Count(r => r.Path == "/v1/responses") > triedBefore); // OpenAI was tried first
            var sent = _fx.Emulator.Requests.Last(r => r.Path == "/v1/messages");
            Assert.DoesNotContain("rs_down", sent.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("prompt_cache_key", sent.Body, StringComparison.Ordinal);
        }
        finally
        {
            _fx.Emulator.Options.ProviderFaults.TryRemove("openai", out _);
        }
    }

    [Fact]
    public async Task Codex_ToAnthropic_ReasoningItemNeverSent()
    {
        var reasoningItem = """{"type":"reasoning","id":"rs_prev","summary":[],"encrypted_content":"gAAAA-from-openai"}""";

        var (status, _) = await PostAsync(CodexBody("anthropic/claude-sonnet-4-6", reasoningItem).Replace("\"stream\":true", "\"stream\":false", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, status);
        var sent = _fx.Emulator.Requests.Last(r => r.Path == "/v1/messages");
        Assert.DoesNotContain("gAAAA-from-openai", sent.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("prompt_cache_key", sent.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostedWebSearch_ToOpenAI_ReturnsWebSearchCall_SdkParsesIt()
    {
        var client = new ResponsesClient(new ApiKeyCredential(GatewayFixture.MasterKey),
            new ResponsesClientOptions { Endpoint = new Uri(_fx.BaseUrl, "v1"), NetworkTimeout = TimeSpan.FromSeconds(30) });
        var options = new CreateResponseOptions("openai/gpt-4.1", [ResponseItem.CreateUserMessageItem("news today?")]);
        options.Tools.Add(ResponseTool.CreateWebSearchTool());

        var response = (await client.CreateResponseAsync(options)).Value;

        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.IsType<WebSearchCallResponseItem>(response.OutputItems[0]);
        Assert.Contains("Emulated reply from openai", response.GetOutputText(), StringComparison.Ordinal);
        Assert.Contains("\"type\":\"web_search\"", LastResponsesRequest().Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAICompatible_StaysOnChatCompletions_HostedToolRefused()
    {
        var before = _fx.Emulator.Requests.Count(r => r.Path == "/v1/chat/completions");

        var (ok, _) = await PostAsync("""{"model":"compat/gpt-4.1","input":"hi","prompt_cache_key":"k","include":["reasoning.encrypted_content"]}""");
        var (refused, error) = await PostAsync("""{"model":"compat/gpt-4.1","input":"hi","tools":[{"type":"web_search"}]}""");

        Assert.Equal(HttpStatusCode.OK, ok);
        var sent = _fx.Emulator.Requests[^1];
        Assert.Equal("/v1/chat/completions", sent.Path);
        Assert.Equal(before + 1, _fx.Emulator.Requests.Count(r => r.Path == "/v1/chat/completions"));
        Assert.DoesNotContain("prompt_cache_key", sent.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Contains("web_search", Sse.Json(error).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
