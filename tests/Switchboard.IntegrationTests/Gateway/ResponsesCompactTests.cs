#pragma warning disable OPENAI001 // the Responses client is marked experimental in the OpenAI package
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using OpenAI.Responses;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>
/// <c>POST /v1/responses/compact</c>: one summary turn through the pipeline, routed to each emulated provider, answered as
/// OpenAI's compacted response (the user messages, then one <c>compaction</c> item); the compaction item fed back into
/// <c>/v1/responses</c> reaches the provider as the summary text.
/// </summary>
public sealed class ResponsesCompactTests : IAsyncLifetime
{
    private const string History = """
        [{"role":"user","content":"Build a landing page for a dog cafe."},
         {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Which colours?"}]},
         {"type":"message","role":"user","content":[{"type":"input_text","text":"Make it blue."}]},
         {"type":"function_call","call_id":"call_1","name":"shell_command","arguments":"{\"command\":\"ls\"}"},
         {"type":"function_call_output","call_id":"call_1","output":"index.html style.css"},
         {"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"gAAAA-foreign"}]
        """;

    private GatewayFixture _fx = null!;

    public async ValueTask InitializeAsync() => _fx = await GatewayFixture.StartAsync();

    public ValueTask DisposeAsync() => _fx.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<(HttpResponseMessage Response, JsonElement Body)> CompactAsync(string body)
    {
        var response = await _fx.Http.PostAsync("v1/responses/compact", Json(body), Ct);
        return (response, Sse.Json(await response.Content.ReadAsStringAsync(Ct)));
    }

    [Theory]
    [MemberData(nameof(ResponsesSdkTests.Models), MemberType = typeof(ResponsesSdkTests))]
    public async Task Compact_RoutedToEachProvider_UserMessagesThenOneCompactionItem_Metered(string model, string provider)
    {
        var (response, body) = await CompactAsync($$"""{"model":"{{model}}","instructions":"You are Codex.","input":{{History}}}""");
        using var _ = response;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("response.compaction", body.GetProperty("object").GetString());
        Assert.StartsWith("resp_", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.True(body.GetProperty("created_at").GetInt64() > 0);
        var output = body.GetProperty("output").EnumerateArray().ToList();
        Assert.Equal(3, output.Count);
        Assert.Equal(
            [("message", "user", "Build a landing page for a dog cafe."), ("message", "user", "Make it blue.")],
            output.Take(2).Select(i => (i.GetProperty("type").GetString(), i.GetProperty("role").GetString(),
                i.GetProperty("content")[0].GetProperty("text").GetString())));
        Assert.All(output.Take(2), i => Assert.False(string.IsNullOrEmpty(i.GetProperty("id").GetString())));
        var compaction = output[2];
        Assert.Equal("compaction", compaction.GetProperty("type").GetString());
        Assert.StartsWith("cmp_", compaction.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(compaction.GetProperty("encrypted_content").GetString()));
        var usage = body.GetProperty("usage");
        Assert.True(usage.GetProperty("input_tokens").GetInt64() > 0);
        Assert.True(usage.GetProperty("output_tokens").GetInt64() > 0);
        Assert.Equal(usage.GetProperty("input_tokens").GetInt64() + usage.GetProperty("output_tokens").GetInt64(), usage.GetProperty("total_tokens").GetInt64());

        // One summary turn, through the router to that provider, metered like any other request.
        var sent = Assert.Single(_fx.Emulator.Requests);
        Assert.Equal(provider, sent.Protocol);
        foreach (var text in new[] { "Build a landing page", "Which colours?", "Make it blue.", "index.html style.css", "You are Codex." })
        {
            Assert.Contains(text, sent.Body, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("gAAAA-foreign", sent.Body, StringComparison.Ordinal);
        Assert.Equal(provider, response.Headers.GetValues("x-switchboard-provider").Single());
        Assert.True(decimal.Parse(response.Headers.GetValues("x-switchboard-cost-usd").Single(), CultureInfo.InvariantCulture) > 0);
    }

    [Theory]
    [MemberData(nameof(ResponsesSdkTests.Models), MemberType = typeof(ResponsesSdkTests))]
    public async Task CompactionItem_FedBackIntoResponses_ReachesTheProviderAsText(string model, string provider)
    {
        var (compacted, body) = await CompactAsync($$"""{"model":"{{model}}","input":{{History}}}""");
        compacted.Dispose();
        var items = body.GetProperty("output");
        var summary = _fx.Emulator.Requests.Count; // the summary turn was request 1
        Assert.Equal(1, summary);
        var next = "[" + string.Join(",", items.EnumerateArray().Select(i => i.GetRawText())) +
            """,{"role":"user","content":"Now add a menu."}]""";

        using var response = await _fx.Http.PostAsync("v1/responses", Json($$"""{"model":"{{model}}","input":{{next}},"store":false}"""), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = _fx.Emulator.Requests[^1];
        Assert.Equal(provider, sent.Protocol);
        // The summary is what the provider answered to the compaction turn; the emulator's answers start like this.
        var earlier = sent.Body.IndexOf($"Emulated reply from {provider}", StringComparison.Ordinal);
        var question = sent.Body.IndexOf("Now add a menu.", StringComparison.Ordinal);
        Assert.True(earlier >= 0 && question > earlier, $"expected the summary before the new input in: {sent.Body}");
        Assert.DoesNotContain(items[items.GetArrayLength() - 1].GetProperty("encrypted_content").GetString()!, sent.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compact_PreviousResponseId_SummarisesTheStoredTurns()
    {
        using var first = await _fx.Http.PostAsync("v1/responses", Json("""{"model":"anthropic/claude-sonnet-4-6","input":"My name is Ada-7731."}"""), Ct);
        var id = Sse.Json(await first.Content.ReadAsStringAsync(Ct)).GetProperty("id").GetString();

        var (response, body) = await CompactAsync($$"""{"model":"anthropic/claude-sonnet-4-6","previous_response_id":"{{id}}","input":"And my dog is Rex."}""");
        using var _ = response;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["My name is Ada-7731.", "And my dog is Rex.", null],
            body.GetProperty("output").EnumerateArray().Select(i => i.TryGetProperty("content", out var c) ? c[0].GetProperty("text").GetString() : null));
        var sent = _fx.Emulator.Requests[^1].Body;
        Assert.Contains("Ada-7731", sent, StringComparison.Ordinal);
        Assert.Contains("Emulated reply from anthropic", sent, StringComparison.Ordinal);
        Assert.DoesNotContain(id!, sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compact_ThroughTheOfficialSdk()
    {
        var client = new ResponsesClient(new ApiKeyCredential(GatewayFixture.MasterKey),
            new ResponsesClientOptions { Endpoint = new Uri(_fx.BaseUrl, "v1"), NetworkTimeout = TimeSpan.FromSeconds(30) });

        var result = await client.CompactResponseAsync(BinaryContent.Create(BinaryData.FromString(
            $$"""{"model":"gemini/gemini-2.5-flash","input":{{History}}}""")), "application/json", new RequestOptions { CancellationToken = Ct });

        using var parsed = JsonDocument.Parse(result.GetRawResponse().Content.ToString());
        Assert.Equal("response.compaction", parsed.RootElement.GetProperty("object").GetString());
        Assert.Equal("compaction", parsed.RootElement.GetProperty("output")[2].GetProperty("type").GetString());
        Assert.Equal("gemini", Assert.Single(_fx.Emulator.Requests).Protocol);
    }

    [Theory]
    [InlineData("""{"input":"hi"}""", "model", null)]
    [InlineData("""{"model":"openai/gpt-4.1"}""", "input", null)]
    [InlineData("""{"model":"openai/gpt-4.1","input":[{"type":"message","role":"robot","content":"x"}]}""", "input[0].role", null)]
    [InlineData("""{"model":"openai/gpt-4.1","input":"hi","previous_response_id":"resp_nope"}""", "previous_response_id", "previous_response_not_found")]
    [InlineData("""not json""", null, null)]
    [InlineData("""[{"model":"openai/gpt-4.1"}]""", null, null)]
    [InlineData("""{"model":"openai/gpt-4.1","input":42}""", "input", null)]
    [InlineData("""{"model":"openai/gpt-4.1","instructions":{"a":1},"input":"x"}""", "instructions", null)]
    [InlineData("""{"model":"openai/gpt-4.1","input":[{"type":"item_reference"}]}""", "input[0].id", null)]
    [InlineData("""{"model":"openai/gpt-4.1","input":[{"type":"item_reference","id":"msg_nope"}]}""", "input[0].id", null)]
    [InlineData("""{"model":"openai/gpt-4.1","input":[{"type":"compaction","encrypted_content":"gAAAA-foreign"}]}""", "input", null)]
    [InlineData("""{"model":"","input":"x"}""", "model", null)]
    public async Task BadInput_400_InOpenAIsShape(string request, string? param, string? code)
    {
        var (response, body) = await CompactAsync(request);
        using var _ = response;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = body.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        if (code is not null)
        {
            Assert.Equal(code, error.GetProperty("code").GetString());
        }

        Assert.Empty(_fx.Emulator.Requests);
    }
}
