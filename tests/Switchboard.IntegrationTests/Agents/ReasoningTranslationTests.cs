using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.IntegrationTests.Gateway;

namespace Switchboard.IntegrationTests.Agents;

/// <summary>
/// A client's reasoning setting, sent to one edge and routed to another provider, arrives as that provider's own setting
/// (through the canonical effort and its budget table); to the same provider, the client's field arrives as sent.
/// </summary>
public sealed class ReasoningTranslationTests : IAsyncLifetime
{
    private GatewayFixture _fx = null!;

    public async ValueTask InitializeAsync() => _fx = await GatewayFixture.StartAsync();

    public ValueTask DisposeAsync() => _fx.DisposeAsync();

    private const string Messages = """[{"role":"user","content":"Think about it."}]""";
    private const string Contents = """[{"role":"user","parts":[{"text":"Think about it."}]}]""";

    public static TheoryData<string, string, string, string> Pairs => new()
    {
        // edge path, request body, upstream JSON path, what that upstream received there
        { "v1/chat/completions", $$$$$"""{"model":"anthropic/claude-sonnet-4-6","max_completion_tokens":30000,"reasoning_effort":"high","messages":{{{{{Messages}}}}}}""",
            "thinking", """{"type":"enabled","budget_tokens":24576}""" },
        { "v1/chat/completions", $$$$$"""{"model":"gemini/gemini-2.5-flash","reasoning_effort":"low","messages":{{{{{Messages}}}}}}""",
            "generationConfig.thinkingConfig", """{"thinkingBudget":1024}""" },
        { "v1/messages", $$$$$"""{"model":"openai/gpt-4.1","max_tokens":16000,"thinking":{"type":"enabled","budget_tokens":8192},"messages":{{{{{Messages}}}}}}""",
            "reasoning_effort", "\"medium\"" },
        { "v1/messages", $$$$$"""{"model":"gemini/gemini-2.5-flash","max_tokens":16000,"output_config":{"effort":"max"},"messages":{{{{{Messages}}}}}}""",
            "generationConfig.thinkingConfig", """{"thinkingBudget":32768}""" },
        { "v1beta/models/openai/gpt-4.1:generateContent", $$$$$"""{"contents":{{{{{Contents}}}}},"generationConfig":{"thinkingConfig":{"thinkingLevel":"LOW"}}}""",
            "reasoning_effort", "\"low\"" },
        { "v1beta/models/anthropic/claude-sonnet-4-6:generateContent", $$$$$"""{"contents":{{{{{Contents}}}}},"generationConfig":{"maxOutputTokens":4000,"thinkingConfig":{"thinkingBudget":1024,"includeThoughts":true}}}""",
            "thinking", """{"type":"enabled","budget_tokens":1024}""" },
        { "v1/responses", """{"model":"anthropic/claude-sonnet-4-6","max_output_tokens":30000,"reasoning":{"effort":"high"},"input":"Think about it."}""",
            "thinking", """{"type":"enabled","budget_tokens":24576}""" },
        // the same provider: the client's own field, as sent
        { "v1/chat/completions", $$$$$"""{"model":"openai/gpt-4.1","reasoning_effort":"minimal","messages":{{{{{Messages}}}}}}""",
            "reasoning_effort", "\"minimal\"" },
        { "v1beta/models/gemini-2.5-flash:generateContent", $$$$$"""{"contents":{{{{{Contents}}}}},"generationConfig":{"thinkingConfig":{"includeThoughts":true,"thinkingBudget":-1}}}""",
            "generationConfig.thinkingConfig", """{"includeThoughts":true,"thinkingBudget":-1}""" },
        { "v1/messages", $$$$$"""{"model":"anthropic/claude-sonnet-4-6","max_tokens":16000,"thinking":{"type":"enabled","budget_tokens":5000},"messages":{{{{{Messages}}}}}}""",
            "thinking", """{"type":"enabled","budget_tokens":5000}""" },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task ReasoningSetting_ArrivesAsTheUpstreamsOwn(string path, string body, string field, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("anthropic-version", "2023-06-01");
        using var response = await _fx.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        var received = Assert.Single(_fx.Emulator.Requests);
        JsonNode? node = JsonNode.Parse(received.Body);
        foreach (var part in field.Split('.'))
        {
            node = node?[part];
        }

        Assert.True(node?.ToJsonString() == expected, $"{field} = {node?.ToJsonString() ?? "(missing)"} in {received.Body}");
        var sent = JsonNode.Parse(received.Body)!.AsObject();
        Assert.False(received.Protocol != "openai" && sent.ContainsKey("reasoning_effort"), received.Body); // never another protocol's field
        Assert.False(received.Protocol != "anthropic" && sent.ContainsKey("thinking"), received.Body);
    }
}
