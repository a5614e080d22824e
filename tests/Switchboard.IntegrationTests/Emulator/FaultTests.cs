using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Switchboard.Emulator;
using static Switchboard.IntegrationTests.Emulator.EmulatorTestSupport;

namespace Switchboard.IntegrationTests.Emulator;

/// <summary>Fault injection: header, options and per-provider faults, on the raw wire.</summary>
public sealed class FaultTests
{
    [Fact]
    public async Task Reset_AbortsTheConnectionWithoutAResponse()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = Client(host.BaseUrl);

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => SendAsync(http, Post("v1/chat/completions", OpenAIChat, "reset"), cts.Token));

        Assert.True(ex is HttpRequestException or IOException, ex.ToString());
        Assert.Equal(1, host.RequestCount);
    }

    [Theory]
    [InlineData("v1/chat/completions", OpenAIStream)]
    [InlineData("v1/messages", AnthropicStream)]
    [InlineData(GeminiStreamPath, GeminiChat)]
    public async Task CutAfterChunks_EndsTheStreamEarlyWithAnError(string path, string body)
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = Client(host.BaseUrl);
        using var response = await http.SendAsync(Post(path, body, "cut-after-chunks=3"), HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        var lines = new List<string>();

        var ex = await Record.ExceptionAsync(async () =>
        {
            while (await reader.ReadLineAsync(cts.Token) is { } line)
            {
                lines.Add(line);
            }
        });

        Assert.True(ex is IOException or HttpRequestException, $"expected a broken connection, got {ex?.GetType().Name ?? "a clean end"}");
        Assert.DoesNotContain("data: [DONE]", lines);
        Assert.DoesNotContain("event: message_stop", lines);
        var contentChunks = lines.Count(l => l.Contains("\"content\":\"", StringComparison.Ordinal) || l.Contains("text_delta", StringComparison.Ordinal) || l.Contains("\"text\":", StringComparison.Ordinal));
        Assert.InRange(contentChunks, 3, 4); // OpenAI's opening role chunk carries "content":""
    }

    [Fact]
    public async Task ErrorAfterChunks_OpenAI_SendsDataErrorAndNoDone()
    {
        var text = await StreamAsync("v1/chat/completions", OpenAIStream, "error-after-chunks=2");

        var events = DataEvents(text);
        Assert.Equal(2, events.Count(e => e["choices"] is JsonArray { Count: > 0 } choices && (string?)choices[0]!["delta"]!["content"] is { Length: > 0 }));
        Assert.Equal("server_error", (string?)events[^1]["error"]!["type"]);
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorAfterChunks_Anthropic_SendsErrorEventAndNoMessageStop()
    {
        var text = await StreamAsync("v1/messages", AnthropicStream, "error-after-chunks=2");

        var names = EventNames(text);
        Assert.Equal(["message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta", "error"], names);
        Assert.Equal("overloaded_error", (string?)DataEvents(text)[^1]["error"]!["type"]);
    }

    [Fact]
    public async Task ErrorAfterChunks_Gemini_SendsDataError503()
    {
        var text = await StreamAsync(GeminiStreamPath, GeminiChat, "error-after-chunks=1");

        var events = DataEvents(text);
        Assert.Equal(2, events.Count);
        Assert.Equal(503, (int)events[1]["error"]!["code"]!);
        Assert.Equal("UNAVAILABLE", (string?)events[1]["error"]!["status"]);
        Assert.EndsWith("\r\n\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_NonStreaming_Is200WithInvalidJson()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = Client(host.BaseUrl);

        var (response, text) = await SendAsync(http, Post("v1/messages", AnthropicChat, "malformed"), cts.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
    }

    [Fact]
    public async Task Malformed_Streaming_SendsADataLineWithBrokenJson()
    {
        var text = await StreamAsync("v1/chat/completions", OpenAIStream, "malformed");

        var last = text.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.StartsWith("data: {", last, StringComparison.Ordinal);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(last["data: ".Length..]));
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StallAfterChunks_KeepsTheConnectionOpenUntilTheClientGivesUp()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = Client(host.BaseUrl);
        using var response = await http.SendAsync(Post("v1/chat/completions", OpenAIStream, "stall-after-chunks=2"), HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        idle.CancelAfter(TimeSpan.FromMilliseconds(700));
        var lines = new List<string>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            while (await reader.ReadLineAsync(idle.Token) is { } line)
            {
                lines.Add(line);
            }
        });

        Assert.Equal(3, lines.Count(l => l.StartsWith("data: ", StringComparison.Ordinal))); // role chunk + 2 content chunks
        Assert.False(cts.IsCancellationRequested);
    }

    [Fact]
    public async Task DelayMs_DelaysTheAnswer()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = Client(host.BaseUrl);
        var watch = Stopwatch.StartNew();

        var (response, _) = await SendAsync(http, Post("v1/chat/completions", OpenAIChat, "delay-ms=400"), cts.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.ElapsedMilliseconds >= 380, $"answered after {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Times_ClearsTheProviderFaultAfterNRequests()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        host.Options.ProviderFaults["anthropic"] = "status=529;times=2";
        using var http = Client(host.BaseUrl);

        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var (response, _) = await SendAsync(http, Post("v1/messages", AnthropicChat), cts.Token);
            statuses.Add((int)response.StatusCode);
        }

        Assert.Equal([529, 529, 200], statuses);
        Assert.False(host.Options.ProviderFaults.ContainsKey("anthropic"));
    }

    [Fact]
    public async Task Precedence_HeaderThenModelThenProtocolThenGlobal()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(new EmulatorOptions { Fault = "status=500" }, cts.Token);
        host.Options.ProviderFaults["openai"] = "status=503";
        host.Options.ProviderFaults["gpt-4o-mini"] = "status=429";
        using var http = Client(host.BaseUrl);

        async Task<int> StatusAsync(string path, string body, string? fault = null) =>
            (int)(await SendAsync(http, Post(path, body, fault), cts.Token)).Response.StatusCode;

        Assert.Equal(404, await StatusAsync("v1/chat/completions", OpenAIChat, "error=not_found"));
        Assert.Equal(429, await StatusAsync("v1/chat/completions", OpenAIChat));
        Assert.Equal(503, await StatusAsync("v1/chat/completions", OpenAIChat.Replace("gpt-4o-mini", "gpt-4.1", StringComparison.Ordinal)));
        Assert.Equal(500, await StatusAsync("v1/messages", AnthropicChat));
    }

    [Theory]
    [InlineData("v1/chat/completions", "error=context_length", 400, "context_length_exceeded")]
    [InlineData("v1/chat/completions", "error=quota", 429, "insufficient_quota")]
    [InlineData("v1/messages", "error=context_length", 400, "prompt is too long")]
    [InlineData("v1/messages", "error=overloaded", 529, "overloaded_error")]
    [InlineData("v1/messages", "error=auth", 401, "authentication_error")]
    [InlineData(GeminiGenerate, "error=context_length", 400, "input token count exceeds the maximum")]
    [InlineData(GeminiGenerate, "error=overloaded", 503, "UNAVAILABLE")]
    [InlineData(GeminiGenerate, "error=not_found", 404, "NOT_FOUND")]
    public async Task ErrorKinds_MapToEachProvidersStatusAndBody(string path, string fault, int status, string expected)
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = Client(host.BaseUrl);
        var body = path.StartsWith("v1beta", StringComparison.Ordinal) ? GeminiChat : path.Contains("messages", StringComparison.Ordinal) ? AnthropicChat : OpenAIChat;

        var (response, text) = await SendAsync(http, Post(path, body, fault), cts.Token);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ContentFilter_OpenAI_FinishesWithContentFilter()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = Client(host.BaseUrl);

        var (response, text) = await SendAsync(http, Post("v1/chat/completions", OpenAIChat, "error=content_filter"), cts.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("content_filter", (string?)Json(text)["choices"]![0]!["finish_reason"]);
    }

    [Fact]
    public async Task UnknownFaultKey_Is400()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = Client(host.BaseUrl);

        var (response, text) = await SendAsync(http, Post("v1/chat/completions", OpenAIChat, "explode"), cts.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("explode", text, StringComparison.Ordinal);
    }

    private static async Task<string> StreamAsync(string path, string body, string fault)
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = Client(host.BaseUrl);
        var (response, text) = await SendAsync(http, Post(path, body, fault), cts.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return text;
    }
}
