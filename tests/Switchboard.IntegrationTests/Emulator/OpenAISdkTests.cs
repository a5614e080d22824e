using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using Switchboard.Emulator;

namespace Switchboard.IntegrationTests.Emulator;

/// <summary>The official OpenAI .NET SDK accepts the emulator's Chat Completions wire format.</summary>
public sealed class OpenAISdkTests
{
    private const string WeatherSchema = """
        {"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city","unit"]}
        """;

    private static ChatClient Client(EmulatorHost host, string model = "gpt-4o-mini") =>
        new(model, new ApiKeyCredential("sk-test"), new OpenAIClientOptions
        {
            Endpoint = new Uri(host.BaseUrl, "v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });

    [Fact]
    public async Task CompleteChat_ReturnsEmulatedTextAndUsage()
    {
        using var cts = EmulatorTestSupport.Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);

        ChatCompletion completion = await Client(host).CompleteChatAsync(
            [new SystemChatMessage("Be terse."), new UserChatMessage("Hello emulator")], cancellationToken: cts.Token);

        Assert.StartsWith("Emulated reply from openai (gpt-4o-mini): 2 messages, with a system prompt, last user text \"Hello emulator\".", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal("gpt-4o-mini", completion.Model);
        Assert.True(completion.Usage.InputTokenCount > 5);
        Assert.True(completion.Usage.OutputTokenCount > 10);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
        Assert.Equal(0, completion.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(0, completion.Usage.OutputTokenDetails.ReasoningTokenCount);
        Assert.Equal(1, host.CountFor("openai"));
        Assert.Equal(1, host.RequestCount);
    }

    [Fact]
    public async Task CompleteChatStreaming_ConcatenatesToTheSameTextWithUsage()
    {
        using var cts = EmulatorTestSupport.Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        var client = Client(host);
        ChatCompletion whole = await client.CompleteChatAsync([new UserChatMessage("Stream this")], cancellationToken: cts.Token);

        var text = new StringBuilder();
        var pieces = 0;
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("Stream this")], cancellationToken: cts.Token))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
                pieces++;
            }

            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }

        Assert.Equal(whole.Content[0].Text, text.ToString());
        Assert.True(pieces > 10, $"expected one piece per token, got {pieces}");
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(whole.Usage.OutputTokenCount, usage.OutputTokenCount);
        Assert.Equal(whole.Usage.InputTokenCount, usage.InputTokenCount);
    }

    [Fact]
    public async Task ForcedToolCall_ReturnsParsableArgumentsSatisfyingRequired()
    {
        using var cts = EmulatorTestSupport.Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        var options = new ChatCompletionOptions { ToolChoice = ChatToolChoice.CreateRequiredChoice() };
        options.Tools.Add(ChatTool.CreateFunctionTool("get_weather", "Weather for a city", BinaryData.FromString(WeatherSchema)));

        ChatCompletion completion = await Client(host).CompleteChatAsync([new UserChatMessage("Weather in Paris?")], options, cts.Token);

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.StartsWith("call_", call.Id, StringComparison.Ordinal);
        using var args = JsonDocument.Parse(call.FunctionArguments);
        Assert.Equal("emulated", args.RootElement.GetProperty("city").GetString());
        Assert.Equal("celsius", args.RootElement.GetProperty("unit").GetString());
        Assert.False(args.RootElement.TryGetProperty("days", out _));
    }

    [Fact]
    public async Task ForcedNamedToolCall_Streaming_SplitsArgumentsOverSeveralPieces()
    {
        using var cts = EmulatorTestSupport.Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        var options = new ChatCompletionOptions { ToolChoice = ChatToolChoice.CreateFunctionChoice("lookup") };
        options.Tools.Add(ChatTool.CreateFunctionTool("get_weather", "Weather", BinaryData.FromString(WeatherSchema)));
        options.Tools.Add(ChatTool.CreateFunctionTool("lookup", "Lookup", BinaryData.FromString("""{"type":"object","properties":{"query":{"type":"string"},"limit":{"type":"number"}},"required":["query","limit"]}""")));

        string? id = null, name = null;
        var arguments = new StringBuilder();
        var argumentPieces = 0;
        ChatFinishReason? finish = null;
        await foreach (var update in Client(host).CompleteChatStreamingAsync([new UserChatMessage("Find it")], options, cts.Token))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                id ??= call.ToolCallId;
                name ??= call.FunctionName;
                if (call.FunctionArgumentsUpdate is { } piece && piece.ToString().Length > 0)
                {
                    arguments.Append(piece.ToString());
                    argumentPieces++;
                }
            }

            finish ??= update.FinishReason;
        }

        Assert.Equal("lookup", name);
        Assert.StartsWith("call_", id, StringComparison.Ordinal);
        Assert.True(argumentPieces >= 2, $"arguments came in {argumentPieces} piece(s)");
        using var args = JsonDocument.Parse(arguments.ToString());
        Assert.Equal("emulated", args.RootElement.GetProperty("query").GetString());
        Assert.Equal(1, args.RootElement.GetProperty("limit").GetInt32());
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
    }

    [Fact]
    public async Task RateLimitFault_SurfacesAs429WithRetryAfter_AndIsNotRetried()
    {
        using var cts = EmulatorTestSupport.Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        host.Options.ProviderFaults["openai"] = "status=429;retry-after=1";

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Client(host).CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: cts.Token));

        Assert.Equal(429, ex.Status);
        var response = ex.GetRawResponse();
        Assert.NotNull(response);
        Assert.True(response.Headers.TryGetValue("retry-after", out var retryAfter));
        Assert.Equal("1", retryAfter);
        Assert.Contains("rate_limit_exceeded", response.Content.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, host.CountFor("openai"));
    }

    [Fact]
    public async Task ServerErrorFault_SurfacesAs500()
    {
        using var cts = EmulatorTestSupport.Timeout();
        await using var host = await EmulatorHost.StartAsync(new EmulatorOptions { Fault = "status=500" }, cts.Token);

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Client(host).CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: cts.Token));

        Assert.Equal(500, ex.Status);
        Assert.Contains("server_error", ex.GetRawResponse()!.Content.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CutAfterChunks_Streaming_ThrowsAfterSomeText()
    {
        using var cts = EmulatorTestSupport.Timeout();
        await using var host = await EmulatorHost.StartAsync(new EmulatorOptions { Fault = "cut-after-chunks=4" }, cts.Token);
        var text = new StringBuilder();

        var ex = await Record.ExceptionAsync(async () =>
        {
            await foreach (var update in Client(host).CompleteChatStreamingAsync([new UserChatMessage("hi")], cancellationToken: cts.Token))
            {
                foreach (var part in update.ContentUpdate)
                {
                    text.Append(part.Text);
                }
            }
        });

        Assert.NotNull(ex);
        Assert.False(ex is OperationCanceledException, ex.ToString());
        Assert.StartsWith("Emulated", text.ToString(), StringComparison.Ordinal);
        Assert.True(text.Length < 40, text.ToString());
    }
}
