using System.Net;
using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Switchboard.Emulator;

namespace Switchboard.IntegrationTests.Emulator;

/// <summary>The official Anthropic .NET SDK accepts the emulator's Messages wire format.</summary>
public sealed class AnthropicSdkTests
{
    private const string Model = "claude-sonnet-4-6";

    private static AnthropicClient Client(EmulatorHost host) =>
        new() { ApiKey = "sk-ant-test", BaseUrl = host.BaseUrl.ToString().TrimEnd('/'), MaxRetries = 0 };

    private static MessageCreateParams Params(string text, long maxTokens = 256) => new()
    {
        Model = Model,
        MaxTokens = maxTokens,
        System = "Be terse.",
        Messages = [new UserMessageParam { Content = text }],
    };

    private static Tool WeatherTool() => new()
    {
        Name = "get_weather",
        Description = "Weather for a city",
        InputSchema = new InputSchema
        {
            Properties = new Dictionary<string, JsonElement>
            {
                ["city"] = JsonSerializer.SerializeToElement(new { type = "string" }),
                ["days"] = JsonSerializer.SerializeToElement(new { type = "integer" }),
                ["metric"] = JsonSerializer.SerializeToElement(new { type = "boolean" }),
            },
            Required = ["city", "metric"],
        },
    };

    [Fact]
    public async Task Create_ReturnsEmulatedTextAndUsage()
    {
        using var cts = EmulatorTestSupport.Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);

        var message = await Client(host).Messages.Create(Params("Hello emulator"), cts.Token);

        Assert.True(message.Content[0].TryPickText(out var text));
        Assert.StartsWith("Emulated reply from anthropic (claude-sonnet-4-6): 1 message, with a system prompt, last user text \"Hello emulator\".", text.Text);
        Assert.Equal(StopReason.EndTurn, message.StopReason?.Value());
        Assert.True(message.Usage.InputTokens > 3);
        Assert.True(message.Usage.OutputTokens > 10);
        Assert.Equal(0, message.Usage.CacheReadInputTokens);
        Assert.Equal(1, host.CountFor("anthropic"));
    }

    [Fact]
    public async Task CreateStreaming_DeliversTextDeltasAndFinalUsage()
    {
        using var cts = EmulatorTestSupport.Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        var client = Client(host);
        var whole = await client.Messages.Create(Params("Stream this"), cts.Token);
        Assert.True(whole.Content[0].TryPickText(out var wholeText));

        var text = new StringBuilder();
        var deltas = 0;
        long? inputTokens = null, outputTokens = null;
        StopReason? stop = null;
        var sawStop = false;
        await foreach (var ev in client.Messages.CreateStreaming(Params("Stream this"), cts.Token))
        {
            if (ev.TryPickStart(out var start))
            {
                inputTokens = start.Message.Usage.InputTokens;
            }
            else if (ev.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var piece))
            {
                text.Append(piece.Text);
                deltas++;
            }
            else if (ev.TryPickDelta(out var messageDelta))
            {
                outputTokens = messageDelta.Usage.OutputTokens;
                stop = messageDelta.Delta.StopReason?.Value();
            }
            else if (ev.TryPickStop(out _))
            {
                sawStop = true;
            }
        }

        Assert.Equal(wholeText.Text, text.ToString());
        Assert.True(deltas > 10, $"expected one delta per token, got {deltas}");
        Assert.Equal(whole.Usage.InputTokens, inputTokens);
        Assert.Equal(whole.Usage.OutputTokens, outputTokens);
        Assert.Equal(StopReason.EndTurn, stop);
        Assert.True(sawStop);
    }

    [Fact]
    public async Task MaxTokens_TruncatesAndReportsMaxTokens()
    {
        using var cts = EmulatorTestSupport.Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);

        var message = await Client(host).Messages.Create(Params("Hello", maxTokens: 5), cts.Token);

        Assert.Equal(StopReason.MaxTokens, message.StopReason?.Value());
        Assert.Equal(5, message.Usage.OutputTokens);
        Assert.True(message.Content[0].TryPickText(out var text));
        Assert.StartsWith("Emulated", text.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForcedToolUse_ReturnsToolUseBlockWithRequiredInput()
    {
        using var cts = EmulatorTestSupport.Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        var parameters = Params("Weather in Paris?") with { Tools = [WeatherTool()], ToolChoice = new ToolChoiceAny() };

        var message = await Client(host).Messages.Create(parameters, cts.Token);

        Assert.Equal(StopReason.ToolUse, message.StopReason?.Value());
        Assert.True(message.Content[0].TryPickToolUse(out var toolUse));
        Assert.Equal("get_weather", toolUse.Name);
        Assert.StartsWith("toolu_", toolUse.ID, StringComparison.Ordinal);
        Assert.Equal("emulated", toolUse.Input["city"].GetString());
        Assert.True(toolUse.Input["metric"].GetBoolean());
        Assert.False(toolUse.Input.ContainsKey("days"));
    }

    [Fact]
    public async Task ForcedToolUse_Streaming_SendsInputJsonDeltas()
    {
        using var cts = EmulatorTestSupport.Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        var parameters = Params("Weather?") with { Tools = [WeatherTool()], ToolChoice = new ToolChoiceTool { Name = "get_weather" } };

        string? name = null;
        var json = new StringBuilder();
        var pieces = 0;
        StopReason? stop = null;
        await foreach (var ev in Client(host).Messages.CreateStreaming(parameters, cts.Token))
        {
            if (ev.TryPickContentBlockStart(out var start) && start.ContentBlock.TryPickToolUse(out var toolUse))
            {
                name = toolUse.Name;
            }
            else if (ev.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickInputJson(out var inputJson))
            {
                json.Append(inputJson.PartialJson);
                pieces++;
            }
            else if (ev.TryPickDelta(out var messageDelta))
            {
                stop = messageDelta.Delta.StopReason?.Value();
            }
        }

        Assert.Equal("get_weather", name);
        Assert.True(pieces >= 2, $"input came in {pieces} piece(s)");
        using var input = JsonDocument.Parse(json.ToString());
        Assert.Equal("emulated", input.RootElement.GetProperty("city").GetString());
        Assert.Equal(StopReason.ToolUse, stop);
    }

    [Fact]
    public async Task OverloadedFault_SurfacesAs529()
    {
        using var cts = EmulatorTestSupport.Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        host.Options.ProviderFaults["anthropic"] = "status=529";

        var ex = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => Client(host).Messages.Create(Params("hi"), cts.Token));

        Assert.Equal(529, (int)ex.StatusCode);
        Assert.Contains("overloaded_error", ex.ResponseBody, StringComparison.Ordinal);
        Assert.Equal(1, host.CountFor("anthropic"));
    }

    [Fact]
    public async Task RateLimitFault_SurfacesAs429()
    {
        using var cts = EmulatorTestSupport.Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        host.Options.ProviderFaults[Model] = "error=rate_limit;retry-after=3";

        var ex = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => Client(host).Messages.Create(Params("hi"), cts.Token));

        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
        Assert.Contains("rate_limit_error", ex.ResponseBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorAfterChunks_Streaming_SurfacesAsSseExceptionAfterSomeText()
    {
        using var cts = EmulatorTestSupport.Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        host.Options.ProviderFaults["anthropic"] = "error-after-chunks=3";
        var deltas = 0;

        var ex = await Assert.ThrowsAsync<AnthropicSseException>(async () =>
        {
            await foreach (var ev in Client(host).Messages.CreateStreaming(Params("hi"), cts.Token))
            {
                if (ev.TryPickContentBlockDelta(out _))
                {
                    deltas++;
                }
            }
        });

        Assert.Equal(3, deltas);
        Assert.Contains("overloaded_error", ex.ToString(), StringComparison.Ordinal);
    }
}
