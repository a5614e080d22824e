using System.Net;
using System.Text;
using System.Text.Json;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>
/// Codex-shaped turns (whole history every turn, <c>store: false</c>, <c>include: ["reasoning.encrypted_content"]</c>,
/// function + custom + namespace tools, streaming) completing a round trip with the custom (<c>apply_patch</c>) and the
/// namespaced tool, on Anthropic and Gemini: the call comes back in the client's shape, its output goes back next turn.
/// </summary>
public sealed class ResponsesCodexRoundTripTests : IAsyncLifetime
{
    private const string Tools = """
        [{"type":"function","name":"shell_command","description":"Run a command","strict":false,
          "parameters":{"type":"object","properties":{"command":{"type":"string"}},"required":["command"]}},
         {"type":"custom","name":"apply_patch","description":"Apply a patch","format":{"type":"grammar","syntax":"lark","definition":"start: /.+/"}},
         {"type":"namespace","name":"mcp__files","description":"File tools",
          "tools":[{"type":"function","name":"read","parameters":{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}}]}]
        """;

    private const string History = """
        [{"type":"message","role":"developer","content":[{"type":"input_text","text":"<permissions>workspace-write</permissions>"}]},
         {"type":"message","role":"user","content":[{"type":"input_text","text":"fix the typo"}]},
         {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"thinking"}],"encrypted_content":"gAAAA-foreign"}]
        """;

    private GatewayFixture _fx = null!;

    public async ValueTask InitializeAsync() => _fx = await GatewayFixture.StartAsync();

    public ValueTask DisposeAsync() => _fx.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Body(string model, string input) => $$$"""
        {"model":"{{{model}}}","instructions":"You are Codex.","input":{{{input}}},"tools":{{{Tools}}},"tool_choice":"auto",
         "parallel_tool_calls":true,"reasoning":{"effort":"medium","summary":"auto"},"store":false,"stream":true,
         "include":["reasoning.encrypted_content"],"prompt_cache_key":"session-1","client_metadata":{"x":"y"}}
        """;

    private async Task<List<(string Event, string Data)>> StreamAsync(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/responses") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await _fx.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var frames = await Sse.ReadAllAsync(response, Ct);
        Assert.Equal("response.completed", frames[^1].Event);
        return frames;
    }

    [Theory]
    [InlineData("anthropic/claude-sonnet-4-6", "anthropic", "apply_patch", "custom_tool_call", "custom_tool_call_output")]
    [InlineData("anthropic/claude-sonnet-4-6", "anthropic", "mcp__files__read", "function_call", "function_call_output")]
    [InlineData("gemini/gemini-2.5-flash", "gemini", "apply_patch", "custom_tool_call", "custom_tool_call_output")]
    [InlineData("gemini/gemini-2.5-flash", "gemini", "mcp__files__read", "function_call", "function_call_output")]
    public async Task CustomAndNamespaceTools_RoundTrip(string model, string provider, string flatName, string callType, string outputType)
    {
        _fx.Emulator.Options.ProviderFaults[provider] = "call-tool=" + flatName;
        List<(string Event, string Data)> first;
        try
        {
            first = await StreamAsync(Body(model, History));
        }
        finally
        {
            _fx.Emulator.Options.ProviderFaults.TryRemove(provider, out _);
        }

        var call = Sse.Json(first.Single(f => f.Event == "response.output_item.done").Data).GetProperty("item");
        Assert.Equal(callType, call.GetProperty("type").GetString());
        var callId = call.GetProperty("call_id").GetString()!;

        // Next turn: the whole history again, the call as Codex received it, then its output.
        var next = History.TrimEnd().TrimEnd(']') + "," + call.GetRawText() +
            $$""",{"type":"{{outputType}}","call_id":"{{callId}}","output":"patched"}]""";
        var second = await StreamAsync(Body(model, next));

        var text = string.Concat(second.Where(f => f.Event == "response.output_text.delta").Select(f => Sse.Json(f.Data).GetProperty("delta").GetString()));
        var sent = _fx.Emulator.Requests[^1];
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(text, "received tool result \".*patched"), text + "\n" + sent.Body);
        Assert.Equal(provider, sent.Protocol);
        Assert.Contains(flatName, sent.Body, StringComparison.Ordinal); // the call replayed under the provider-side name
        Assert.DoesNotContain("gAAAA-foreign", sent.Body, StringComparison.Ordinal);
        using var completed = JsonDocument.Parse(second[^1].Data);
        Assert.False(completed.RootElement.GetProperty("response").GetProperty("store").GetBoolean());
    }
}
