using System.Net;
using System.Text;
using System.Text.Json;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>Raw-HTTP Responses requests shaped like Codex's, and the gateway's JSON 404 for unknown paths.</summary>
public sealed class ResponsesWireTests : IAsyncLifetime
{
    private const string Tools = """
        [
          {"type":"function","name":"shell_command","description":"Run a command","strict":false,
           "parameters":{"type":"object","properties":{"command":{"type":"string"}},"required":["command"]}},
          {"type":"custom","name":"apply_patch","description":"Apply a patch",
           "format":{"type":"grammar","syntax":"lark","definition":"start: /.+/"}},
          {"type":"namespace","name":"mcp__files","description":"File tools",
           "tools":[{"type":"function","name":"read","parameters":{"type":"object","properties":{"path":{"type":"string"}}}}]}
        ]
        """;

    private GatewayFixture _fx = null!;

    public async ValueTask InitializeAsync() => _fx = await GatewayFixture.StartAsync();

    public ValueTask DisposeAsync() => _fx.DisposeAsync();

    private static string CodexBody(string model, string input) => $$$"""
        {"model":"{{{model}}}","instructions":"You are Codex.","input":{{{input}}},"tools":{{{Tools}}},"tool_choice":"auto",
         "parallel_tool_calls":true,"reasoning":{"effort":"medium","summary":"auto"},"store":false,"stream":true,
         "include":["reasoning.encrypted_content"],"prompt_cache_key":"session-1","client_metadata":{"x":"y"},
         "text":{"verbosity":"low"}}
        """;

    private async Task<List<(string Event, string Data)>> StreamAsync(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/responses") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await _fx.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return await Sse.ReadAllAsync(response);
    }

    [Theory]
    [InlineData("openai/gpt-4.1", "openai")]
    [InlineData("anthropic/claude-sonnet-4-6", "anthropic")]
    [InlineData("gemini/gemini-2.5-flash", "gemini")]
    public async Task Codex_ToolRoundTrip_Streaming(string model, string provider)
    {
        // A reasoning item from an earlier turn: an OpenAI upstream receives it as sent (and checks its blob), the others never see it.
        var history = $$"""
            [{"type":"message","role":"developer","content":[{"type":"input_text","text":"<permissions>workspace-write</permissions>"}]},
             {"type":"message","role":"user","content":[{"type":"input_text","text":"list the files"}]},
             {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"thinking"}],"encrypted_content":"{{Switchboard.Emulator.ReasoningSeal.Mint("rs_1")}}"}]
            """;
        _fx.Emulator.Options.ProviderFaults[provider] = "call-tool=shell_command";
        List<(string Event, string Data)> first;
        try
        {
            first = await StreamAsync(CodexBody(model, history));
        }
        finally
        {
            _fx.Emulator.Options.ProviderFaults.TryRemove(provider, out _);
        }

        AssertWellFormed(first);
        // An OpenAI upstream also answers the request's reasoning with a reasoning item (the translated providers' emulators do not think).
        var done = first.Where(f => f.Event == "response.output_item.done").Select(f => Sse.Json(f.Data).GetProperty("item"))
            .Where(i => i.GetProperty("type").GetString() != "reasoning").ToList();
        var call = Assert.Single(done);
        Assert.Equal("function_call", call.GetProperty("type").GetString());
        Assert.Equal("shell_command", call.GetProperty("name").GetString());
        var callId = call.GetProperty("call_id").GetString()!;
        using (var args = JsonDocument.Parse(call.GetProperty("arguments").GetString()!))
        {
            Assert.Equal(JsonValueKind.String, args.RootElement.GetProperty("command").ValueKind);
        }

        var completed = Sse.Json(first[^1].Data).GetProperty("response");
        Assert.Equal("function_call", completed.GetProperty("output").EnumerateArray().Last().GetProperty("type").GetString());

        // The next turn sends the whole history again, with the call and its output.
        var next = history.TrimEnd().TrimEnd(']') + "," + call.GetRawText() +
            $$""",{"type":"function_call_output","call_id":"{{callId}}","output":"README.md src"}]""";
        var second = await StreamAsync(CodexBody(model, next));

        AssertWellFormed(second);
        var text = string.Concat(second.Where(f => f.Event == "response.output_text.delta").Select(f => Sse.Json(f.Data).GetProperty("delta").GetString()));
        Assert.Matches("received tool result \".*README.md src", text);
    }

    [Theory]
    [InlineData("anthropic/claude-sonnet-4-6", "anthropic", "apply_patch", "custom_tool_call", null)]
    [InlineData("gemini/gemini-2.5-flash", "gemini", "mcp__files__read", "function_call", "mcp__files")]
    public async Task Codex_CustomAndNamespaceTools_MappedBack(string model, string provider, string flatName, string type, string? ns)
    {
        _fx.Emulator.Options.ProviderFaults[provider] = "call-tool=" + flatName;
        try
        {
            var frames = await StreamAsync(CodexBody(model, """[{"role":"user","content":"go"}]"""));

            AssertWellFormed(frames);
            var item = Sse.Json(frames.Single(f => f.Event == "response.output_item.done").Data).GetProperty("item");
            Assert.Equal(type, item.GetProperty("type").GetString());
            if (ns is null)
            {
                Assert.Equal("apply_patch", item.GetProperty("name").GetString());
                Assert.Equal(JsonValueKind.String, item.GetProperty("input").ValueKind);
                Assert.Contains(frames, f => f.Event == "response.custom_tool_call_input.done");
            }
            else
            {
                Assert.Equal("read", item.GetProperty("name").GetString());
                Assert.Equal(ns, item.GetProperty("namespace").GetString());
            }
        }
        finally
        {
            _fx.Emulator.Options.ProviderFaults.TryRemove(provider, out _);
        }
    }

    [Fact]
    public async Task UnknownFields_Ignored_PreviousResponseId_400()
    {
        using var ok = await _fx.Http.PostAsync("v1/responses", new StringContent(
            """{"model":"openai/gpt-4.1","input":"hi","some_future_field":{"a":1},"truncation":"auto","service_tier":"auto"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("response", Sse.Json(await ok.Content.ReadAsStringAsync()).GetProperty("object").GetString());

        using var missing = await _fx.Http.PostAsync("v1/responses", new StringContent(
            """{"model":"openai/gpt-4.1","input":"hi","previous_response_id":"resp_nope"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var error = Sse.Json(await missing.Content.ReadAsStringAsync()).GetProperty("error");
        Assert.Equal("previous_response_not_found", error.GetProperty("code").GetString());
        Assert.Equal("previous_response_id", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task UnknownPath_Json404NamingThePath_DashboardStillServed()
    {
        using var response = await _fx.Http.GetAsync("v1/no/such/thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = Sse.Json(await response.Content.ReadAsStringAsync()).GetProperty("error");
        Assert.Contains("/v1/no/such/thing", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());

        using var ui = await _fx.Http.GetAsync("ui/dashboard.js");
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        using var healthz = await _fx.Http.GetAsync("healthz");
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        using var metrics = await _fx.Http.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        using var openapi = await _fx.Http.GetAsync("openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, openapi.StatusCode);
    }

    /// <summary>created, in_progress first; one terminal completed last; sequence numbers 0, 1, …; every event's name equals its type.</summary>
    private static void AssertWellFormed(List<(string Event, string Data)> frames)
    {
        Assert.Equal("response.created", frames[0].Event);
        Assert.Equal("response.in_progress", frames[1].Event);
        Assert.Equal("response.completed", frames[^1].Event);
        Assert.Single(frames, f => f.Event == "response.completed");
        for (var i = 0; i < frames.Count; i++)
        {
            var data = Sse.Json(frames[i].Data);
            Assert.Equal(frames[i].Event, data.GetProperty("type").GetString());
            Assert.Equal(i, data.GetProperty("sequence_number").GetInt32());
        }

        var response = Sse.Json(frames[^1].Data).GetProperty("response");
        Assert.StartsWith("resp_", response.GetProperty("id").GetString(), StringComparison.Ordinal);
        var usage = response.GetProperty("usage");
        Assert.True(usage.GetProperty("output_tokens").GetInt32() > 0);
        Assert.Equal(usage.GetProperty("input_tokens").GetInt32() + usage.GetProperty("output_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
    }
}
