using System.Net;
using Switchboard.Emulator;
using static Switchboard.IntegrationTests.Emulator.EmulatorTestSupport;

namespace Switchboard.IntegrationTests.Emulator;

/// <summary>Gemini generateContent / streamGenerateContent framing, read with a raw HttpClient.</summary>
public sealed class GeminiWireTests
{
    [Fact]
    public async Task GenerateContent_ReturnsCandidateAndUsage()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = Client(host.BaseUrl);
        var body = """{"systemInstruction":{"parts":[{"text":"Be terse."}]},"contents":[{"role":"user","parts":[{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}},{"text":"Describe it"}]}]}""";

        var (response, text) = await SendAsync(http, Post(GeminiGenerate, body, keyHeader: "x-goog-api-key"), cts.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var json = Json(text);
        var candidate = json["candidates"]![0]!;
        Assert.Equal("STOP", (string?)candidate["finishReason"]);
        Assert.Equal("model", (string?)candidate["content"]!["role"]);
        Assert.StartsWith("Emulated reply from gemini (gemini-2.5-flash): 1 message, with a system prompt, 1 image, last user text \"Describe it\".", (string?)candidate["content"]!["parts"]![0]!["text"], StringComparison.Ordinal);
        var usage = json["usageMetadata"]!;
        Assert.Equal((int)usage["promptTokenCount"]! + (int)usage["candidatesTokenCount"]!, (int)usage["totalTokenCount"]!);
        Assert.Equal("gemini-2.5-flash", (string?)json["modelVersion"]);
        Assert.Equal(1, host.CountFor("gemini"));
    }

    [Fact]
    public async Task StreamGenerateContent_UsesDataLinesWithCompactJsonAndCrlfDelimiters()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = Client(host.BaseUrl);

        var (response, text) = await SendAsync(http, Post(GeminiStreamPath, GeminiChat, apiKey: null), cts.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("\r\n\r\n", text, StringComparison.Ordinal);
        var events = text.Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.True(events.Length > 10, $"expected one event per token, got {events.Length}");
        Assert.All(events, e =>
        {
            Assert.StartsWith("data: {", e, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e);
            Assert.DoesNotContain('\r', e);
        });
        var chunks = DataEvents(text);
        Assert.All(chunks, c => Assert.NotNull(c["usageMetadata"]?["promptTokenCount"]));
        Assert.All(chunks[..^1], c => Assert.Null(c["candidates"]![0]!["finishReason"]));
        var last = chunks[^1];
        Assert.Equal("STOP", (string?)last["candidates"]![0]!["finishReason"]);
        Assert.NotNull(last["usageMetadata"]!["candidatesTokenCount"]);
        var streamed = string.Concat(chunks.Select(c => (string?)c["candidates"]![0]!["content"]!["parts"]![0]!["text"]));
        var (_, whole) = await SendAsync(http, Post(GeminiGenerate, GeminiChat, apiKey: null), cts.Token);
        Assert.Equal((string?)Json(whole)["candidates"]![0]!["content"]!["parts"]![0]!["text"], streamed);
    }

    [Fact]
    public async Task V1Path_AndQueryKey_AreServed()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(new EmulatorOptions { RequiredApiKey = "g-key" }, cts.Token);
        using var http = Client(host.BaseUrl);

        var (response, _) = await SendAsync(http, Post("v1/models/gemini-2.5-pro:generateContent?key=g-key", GeminiChat, apiKey: null), cts.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gemini-2.5-pro", host.Requests[^1].Model);
    }

    [Fact]
    public async Task WrongApiKey_Is400InvalidArgumentWithApiKeyInvalidReason()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(new EmulatorOptions { RequiredApiKey = "right" }, cts.Token);
        using var http = Client(host.BaseUrl);

        var (response, text) = await SendAsync(http, Post(GeminiGenerate, GeminiChat, apiKey: "wrong", keyHeader: "x-goog-api-key"), cts.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Json(text)["error"]!;
        Assert.Equal(400, (int)error["code"]!);
        Assert.Equal("INVALID_ARGUMENT", (string?)error["status"]);
        Assert.Equal("API_KEY_INVALID", (string?)error["details"]![0]!["reason"]);
    }

    [Fact]
    public async Task RateLimitFault_HasRetryInfoInTheBody()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = Client(host.BaseUrl);

        var (response, text) = await SendAsync(http, Post(GeminiGenerate, GeminiChat, "status=429;retry-after=17"), cts.Token);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var error = Json(text)["error"]!;
        Assert.Equal("RESOURCE_EXHAUSTED", (string?)error["status"]);
        var retry = error["details"]!.AsArray().Single(d => (string?)d!["@type"] == "type.googleapis.com/google.rpc.RetryInfo");
        Assert.Equal("17s", (string?)retry!["retryDelay"]);
    }

    [Fact]
    public async Task ForcedFunctionCall_ArrivesWholeInOneChunk()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = Client(host.BaseUrl);
        var body = """
            {"contents":[{"role":"user","parts":[{"text":"Weather?"}]}],
             "tools":[{"functionDeclarations":[{"name":"other","parameters":{"type":"OBJECT","properties":{}}},
                                               {"name":"get_weather","parameters":{"type":"OBJECT","properties":{"city":{"type":"STRING"},"n":{"type":"INTEGER"}},"required":["city","n"]}}]}],
             "toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["get_weather"]}}}
            """;

        var (_, text) = await SendAsync(http, Post(GeminiStreamPath, body), cts.Token);

        var chunk = Assert.Single(DataEvents(text));
        var call = chunk["candidates"]![0]!["content"]!["parts"]![0]!["functionCall"]!;
        Assert.Equal("get_weather", (string?)call["name"]);
        Assert.Equal("emulated", (string?)call["args"]!["city"]);
        Assert.Equal(1, (int)call["args"]!["n"]!);
        Assert.Equal("STOP", (string?)chunk["candidates"]![0]!["finishReason"]);
    }

    [Fact]
    public async Task JsonMimeType_RepliesWithJsonMatchingTheSchema()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = Client(host.BaseUrl);
        var body = """{"contents":[{"parts":[{"text":"json please"}]}],"generationConfig":{"responseMimeType":"application/json","responseSchema":{"type":"OBJECT","properties":{"answer":{"type":"STRING"}},"required":["answer"]}}}""";

        var (_, text) = await SendAsync(http, Post(GeminiGenerate, body), cts.Token);

        var reply = (string?)Json(text)["candidates"]![0]!["content"]!["parts"]![0]!["text"];
        Assert.Equal("emulated", (string?)Json(reply!)["answer"]);
    }
}
