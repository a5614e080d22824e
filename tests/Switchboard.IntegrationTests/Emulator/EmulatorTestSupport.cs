using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Switchboard.IntegrationTests.Emulator;

/// <summary>Raw HTTP helpers for emulator tests: bounded time, loopback only.</summary>
internal static class EmulatorTestSupport
{
    public static CancellationTokenSource Timeout(int seconds = 20) => new(TimeSpan.FromSeconds(seconds));

    public static HttpClient Client(Uri baseUrl) => new() { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };

    public static HttpRequestMessage Post(string path, string json, string? fault = null, string? apiKey = "test-key", string keyHeader = "x-api-key")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (apiKey is not null)
        {
            if (keyHeader == "Authorization")
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            }
            else
            {
                request.Headers.Add(keyHeader, apiKey);
            }
        }

        if (fault is not null)
        {
            request.Headers.Add("x-emulator-fault", fault);
        }

        return request;
    }

    /// <summary>Sends and reads the whole body as text (throws what HttpClient throws on a cut connection).</summary>
    public static async Task<(HttpResponseMessage Response, string Body)> SendAsync(HttpClient client, HttpRequestMessage request, CancellationToken ct)
    {
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        return (response, body);
    }

    public static JsonObject Json(string body) => JsonNode.Parse(body)!.AsObject();

    /// <summary>The JSON payloads of every <c>data: </c> line (not [DONE]).</summary>
    public static List<JsonObject> DataEvents(string sse) =>
        [.. sse.Split('\n').Select(l => l.TrimEnd('\r'))
            .Where(l => l.StartsWith("data: ", StringComparison.Ordinal) && l != "data: [DONE]")
            .Select(l => Json(l["data: ".Length..]))];

    /// <summary>Event names of an Anthropic stream, in order.</summary>
    public static List<string> EventNames(string sse) =>
        [.. sse.Split('\n').Where(l => l.StartsWith("event: ", StringComparison.Ordinal)).Select(l => l["event: ".Length..])];

    public const string OpenAIChat = """{"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be terse."},{"role":"user","content":"Hello emulator"}]}""";
    public const string OpenAIStream = """{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hello emulator"}]}""";
    public const string AnthropicChat = """{"model":"claude-sonnet-4-6","max_tokens":256,"messages":[{"role":"user","content":"Hello emulator"}]}""";
    public const string AnthropicStream = """{"model":"claude-sonnet-4-6","max_tokens":256,"stream":true,"messages":[{"role":"user","content":"Hello emulator"}]}""";
    public const string GeminiChat = """{"contents":[{"role":"user","parts":[{"text":"Hello emulator"}]}]}""";
    public const string GeminiGenerate = "v1beta/models/gemini-2.5-flash:generateContent";
    public const string GeminiStreamPath = "v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse";
}
