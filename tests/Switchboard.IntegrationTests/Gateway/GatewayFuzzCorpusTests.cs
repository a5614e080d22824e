using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>
/// A generated corpus of hostile bodies per edge (<see cref="JsonMutator"/>, fixed seeds so a failure reproduces): no
/// body may cost a 5xx, and every 4xx carries an error body in the edge's own format.
/// </summary>
public sealed class GatewayFuzzCorpusTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int BodiesPerEdge = 10_000;
    private const int SmallerCorpus = 3_000; // the edges added later: the same mutations, fewer of them, to keep the suite short
    private const int Concurrency = 8;
    private GatewayFixture _fx = null!;

    public async ValueTask InitializeAsync() => _fx = await GatewayFixture.StartAsync(c =>
    {
        c["Switchboard:Routing:Retry:MaxRetries"] = "0";
        // A hostile corpus sends far more than a key's share; these tests are about answers, not limits.
        c["Switchboard:Gateway:MaxRequestBytes"] = "65536";
    });

    public ValueTask DisposeAsync() => _fx.DisposeAsync();

    private static readonly string[] OpenAISeeds =
    [
        """{"model":"openai/gpt-4.1-mini","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hi"}],"temperature":0.5,"max_tokens":16}""",
        """{"model":"fast","messages":[{"role":"user","content":[{"type":"text","text":"hi"},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}],"stream":true,"stream_options":{"include_usage":true},"stop":["x"],"seed":3,"user":"u1"}""",
        """{"model":"anthropic/claude-haiku-4-5","messages":[{"role":"user","content":"w?"},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]},{"role":"tool","tool_call_id":"c1","content":"ok"}],"tools":[{"type":"function","function":{"name":"f","description":"d","parameters":{"type":"object","properties":{"a":{"type":"integer"}},"required":["a"]}}}],"tool_choice":"auto","response_format":{"type":"json_object"},"top_p":0.9,"max_completion_tokens":20}""",
    ];

    private static readonly string[] AnthropicSeeds =
    [
        """{"model":"anthropic/claude-haiku-4-5","max_tokens":16,"system":"Be brief.","messages":[{"role":"user","content":"hi"}],"temperature":0.5}""",
        """{"model":"fast","max_tokens":32,"stream":true,"system":[{"type":"text","text":"s"}],"messages":[{"role":"user","content":[{"type":"text","text":"hi"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]}],"stop_sequences":["x"],"top_k":5,"metadata":{"user_id":"u"}}""",
        """{"model":"openai/gpt-4.1-mini","max_tokens":20,"messages":[{"role":"user","content":"w?"},{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{"a":1}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"ok","is_error":false}]}],"tools":[{"name":"f","description":"d","input_schema":{"type":"object","properties":{"a":{"type":"integer"}}}}],"tool_choice":{"type":"auto"},"thinking":{"type":"enabled","budget_tokens":1024}}""",
    ];

    private static readonly string[] ChatStreamSeeds =
    [
        """{"message":"hi","system_prompt":"Be brief.","task_type":"general","prefer_cost":false}""",
        """{"message":"hi","model":"openai/gpt-4.1-mini","temperature":0.2,"max_tokens":16,"prefer_cost":true}""",
    ];

    private static readonly string[] ResponsesSeeds =
    [
        """{"model":"openai/gpt-4.1-mini","instructions":"Be brief.","input":"hi","max_output_tokens":16,"temperature":0.5,"metadata":{"k":"v"}}""",
        """{"model":"anthropic/claude-haiku-4-5","stream":true,"store":false,"input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"},{"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo="}]},{"type":"function_call","call_id":"c1","name":"f","arguments":"{\"a\":1}"},{"type":"function_call_output","call_id":"c1","output":"ok"}],"tools":[{"type":"function","name":"f","parameters":{"type":"object","properties":{"a":{"type":"integer"}}}},{"type":"custom","name":"apply_patch","format":{"type":"grammar","syntax":"lark","definition":"start: /.+/"}}],"tool_choice":"auto","reasoning":{"effort":"low","summary":"auto"},"text":{"format":{"type":"json_object"}},"include":["reasoning.encrypted_content"]}""",
        """{"model":"fast","input":[{"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"x"},{"type":"compaction","encrypted_content":"sbcmp1.aGk"},{"type":"web_search_call","id":"ws_1","status":"completed"},{"role":"user","content":"next"}],"parallel_tool_calls":false,"top_p":0.5}""",
    ];

    private static readonly string[] CompactSeeds =
    [
        """{"model":"fast","instructions":"Keep names.","input":[{"role":"user","content":"Build a page."},{"role":"assistant","content":"Which colour?"},{"role":"user","content":"Blue."}]}""",
        """{"model":"openai/gpt-4.1-mini","input":"A long talk about colours."}""",
    ];

    private static readonly string[] GeminiSeeds =
    [
        """{"contents":[{"role":"user","parts":[{"text":"hi"}]}],"systemInstruction":{"parts":[{"text":"Be brief."}]},"generationConfig":{"temperature":0.5,"maxOutputTokens":16,"stopSequences":["x"],"thinkingConfig":{"thinkingBudget":128}}}""",
        """{"contents":[{"role":"user","parts":[{"text":"w?"}]},{"role":"model","parts":[{"functionCall":{"name":"f","args":{"a":1}}}]},{"role":"user","parts":[{"functionResponse":{"name":"f","response":{"ok":true}}}]}],"tools":[{"functionDeclarations":[{"name":"f","description":"d","parametersJsonSchema":{"type":"object","properties":{"a":{"type":"integer"}}}}]}],"toolConfig":{"functionCallingConfig":{"mode":"AUTO"}},"generationConfig":{"responseMimeType":"application/json","responseJsonSchema":{"type":"object"}}}""",
    ];

    private static readonly string[] EmbeddingSeeds =
    [
        """{"model":"text-embedding-3-small","input":["the quick brown fox","jumps"],"dimensions":256}""",
        """{"model":"gemini/gemini-embedding-001","input":"one text","encoding_format":"base64","user":"u1"}""",
    ];

    private static bool IsOpenAIError(JsonElement body) =>
        body.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object &&
        e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String && m.GetString()!.Length > 0 &&
        e.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String &&
        e.TryGetProperty("code", out _) && e.TryGetProperty("param", out _);

    private static bool IsAnthropicError(JsonElement body) =>
        body.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "error" &&
        body.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object &&
        e.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String &&
        e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String && m.GetString()!.Length > 0;

    [Fact]
    public Task Responses_MutatedCorpus_NeverAnswers5xx_AndEvery4xxHasAnOpenAIErrorBody() =>
        RunCorpusAsync("v1/responses", ResponsesSeeds, 4_000_000, IsOpenAIError, SmallerCorpus);

    [Fact]
    public Task ResponsesCompactAndInputTokens_MutatedCorpus_NeverAnswer5xx_AndEvery4xxHasAnOpenAIErrorBody() => Task.WhenAll(
        RunCorpusAsync("v1/responses/compact", CompactSeeds, 5_000_000, IsOpenAIError, SmallerCorpus),
        RunCorpusAsync("v1/responses/input_tokens", ResponsesSeeds, 6_000_000, IsOpenAIError, SmallerCorpus));

    [Fact]
    public Task Embeddings_MutatedCorpus_NeverAnswers5xx_AndEvery4xxHasAnOpenAIErrorBody() =>
        RunCorpusAsync("v1/embeddings", EmbeddingSeeds, 9_000_000, IsOpenAIError, SmallerCorpus);

    [Fact]
    public Task CountTokens_MutatedCorpus_NeverAnswers5xx_AndEvery4xxHasAnAnthropicErrorBody() =>
        RunCorpusAsync("v1/messages/count_tokens", AnthropicSeeds, 7_000_000, IsAnthropicError, SmallerCorpus);

    [Fact]
    public Task GeminiGenerateContent_MutatedCorpus_NeverAnswers5xx_AndEvery4xxHasAGeminiErrorBody() =>
        RunCorpusAsync("v1beta/models/gemini-2.5-flash:generateContent", GeminiSeeds, 8_000_000, body =>
            body.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object &&
            e.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number &&
            e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String && m.GetString()!.Length > 0 &&
            e.TryGetProperty("status", out var st) && st.ValueKind == JsonValueKind.String, SmallerCorpus);

    [Fact]
    public Task ChatCompletions_MutatedCorpus_NeverAnswers5xx_AndEvery4xxHasAnOpenAIErrorBody() =>
        RunCorpusAsync("v1/chat/completions", OpenAISeeds, 1_000_000, body =>
            body.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object &&
            e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String && m.GetString()!.Length > 0 &&
            e.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String &&
            e.TryGetProperty("code", out _) && e.TryGetProperty("param", out _));

    [Fact]
    public Task Messages_MutatedCorpus_NeverAnswers5xx_AndEvery4xxHasAnAnthropicErrorBody() =>
        RunCorpusAsync("v1/messages", AnthropicSeeds, 2_000_000, body =>
            body.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "error" &&
            body.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object &&
            e.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String &&
            e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String && m.GetString()!.Length > 0);

    [Fact]
    public Task ChatStream_MutatedCorpus_NeverAnswers5xx_AndEvery4xxHasAJsonErrorBody() =>
        RunCorpusAsync("api/chat/stream", ChatStreamSeeds, 3_000_000, body =>
            body.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String && e.GetString()!.Length > 0);

    private async Task RunCorpusAsync(string path, string[] seeds, int seedBase, Func<JsonElement, bool> isErrorBody, int bodies = BodiesPerEdge)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency };
        using var http = new HttpClient(handler) { BaseAddress = _fx.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFixture.MasterKey);
        var failures = new List<string>();
        var statuses = new int[600];
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, bodies, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, ct) =>
        {
            var seed = seedBase + i;
            var body = new JsonMutator(seed).Mutate(seeds[i % seeds.Length]);
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            int status;
            string text;
            try
            {
                using var response = await http.PostAsync(path, content, ct);
                text = await response.Content.ReadAsStringAsync(ct);
                status = (int)response.StatusCode;
            }
            catch (HttpRequestException e)
            {
                // A reset connection or a response cut short: as bad as a 5xx for the client.
                (status, text) = (599, e.Message);
            }

            Interlocked.Increment(ref statuses[Math.Clamp(status, 0, 599)]);
            var problem = status >= 500 ? "a 5xx or a broken connection"
                : status >= 400 && !IsErrorBody(text, isErrorBody) ? "a 4xx without an error body in the edge's format"
                : null;
            if (problem is not null)
            {
                lock (failures)
                {
                    failures.Add($"seed {seed} ({problem}): {status} {Shorten(text)}\n  body: {Shorten(Escape(body))}");
                }
            }
        });

        var summary = string.Join(", ", statuses.Select((n, s) => (n, s)).Where(x => x.n > 0).Select(x => $"{x.s}: {x.n}"));
        output.WriteLine($"{path}: {bodies} bodies in {clock.Elapsed.TotalSeconds:0.0} s ({summary})");
        Assert.True(statuses[200] > 0, $"no body of the corpus was answered on {path}, so it tested only refusals ({summary})");
        Assert.True(failures.Count == 0,
            $"{failures.Count} of {bodies} bodies failed on {path} (reproduce with new JsonMutator(seed).Mutate(seeds[(seed - {seedBase}) % {seeds.Length}])):\n" +
            string.Join("\n", failures.Take(15)));
    }

    private static bool IsErrorBody(string text, Func<JsonElement, bool> isErrorBody)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return isErrorBody(document.RootElement);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + $"… ({text.Length} chars)";

    /// <summary>The body as readable text: printable ASCII as is, every other byte as \xNN.</summary>
    private static string Escape(byte[] body)
    {
        var builder = new StringBuilder(body.Length);
        foreach (var b in body)
        {
            builder.Append(b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:X2}");
        }

        return builder.ToString();
    }
}
