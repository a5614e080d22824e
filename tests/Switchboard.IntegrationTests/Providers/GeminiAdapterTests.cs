using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Emulator;
using Switchboard.Pricing;
using Switchboard.Providers;
using Switchboard.Providers.Gemini;

namespace Switchboard.IntegrationTests.Providers;

/// <summary>The Gemini adapter against the emulator's Gemini protocol, over real HTTP, with the emulator's faults.</summary>
public sealed class GeminiAdapterTests : IAsyncLifetime
{
    private const string Model = "gemini-2.5-flash";
    private const string ApiKey = "gm-integration-key-0000";
    private static readonly ModelCatalog Catalog = ModelCatalog.LoadEmbedded();
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private EmulatorHost? _emulator;

    public async ValueTask InitializeAsync() => _emulator = await EmulatorHost.StartAsync(new EmulatorOptions());

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }

    [Fact]
    public async Task GetResponse_Emulator_ReturnsEmulatedTextAndUsage()
    {
        using var client = Client();

        var response = await client.GetResponseAsync("Say hello", new ChatOptions { ModelId = Model }, Token);

        Assert.Contains("Emulated", response.Text, StringComparison.OrdinalIgnoreCase);
        Assert.True(response.Usage?.InputTokenCount > 0);
        Assert.True(response.Usage?.OutputTokenCount > 0);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task GetStreamingResponse_Emulator_StreamsEmulatedTextAndUsage()
    {
        using var client = Client();
        var updates = new List<ChatResponseUpdate>();

        await foreach (var update in client.GetStreamingResponseAsync("Say hello", new ChatOptions { ModelId = Model }, Token))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        Assert.True(updates.Count(u => u.Text.Length > 0) > 1, "expected the text in several chunks");
        Assert.Contains("Emulated", response.Text, StringComparison.OrdinalIgnoreCase);
        Assert.True(response.Usage?.InputTokenCount > 0);
        Assert.True(response.Usage?.OutputTokenCount > 0);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RequireAny_WithOneTool_EmulatorCallsItWithRequiredArguments(bool streaming)
    {
        using var client = Client();
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""").RootElement;
        var options = new ChatOptions
        {
            ModelId = Model,
            Tools = [AIFunctionFactory.CreateDeclaration("get_weather", "Current weather for a city", schema)],
            ToolMode = ChatToolMode.RequireAny,
        };

        var response = streaming
            ? await client.GetStreamingResponseAsync("Weather in Paris?", options, Token).ToChatResponseAsync(Token)
            : await client.GetResponseAsync("Weather in Paris?", options, Token);

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("get_weather", call.Name);
        Assert.False(string.IsNullOrEmpty(call.CallId));
        Assert.True(call.Arguments?.ContainsKey("city"), "the required argument is present");
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Theory]
    [InlineData("status=429;retry-after=2", ProviderErrorKind.RateLimited)]
    [InlineData("status=503", ProviderErrorKind.Overloaded)]
    [InlineData("status=500", ProviderErrorKind.ServerError)]
    [InlineData("error=context_length", ProviderErrorKind.ContextLengthExceeded)]
    [InlineData("error=auth", ProviderErrorKind.Authentication)]
    [InlineData("reset", ProviderErrorKind.Network)]
    [InlineData("malformed", ProviderErrorKind.MalformedResponse)]
    public async Task GetResponse_Fault_MapsToKind(string fault, ProviderErrorKind kind)
    {
        using var client = Client(fault);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", new ChatOptions { ModelId = Model }, Token));

        Assert.Equal(kind, ex.Kind);
        Assert.DoesNotContain(ApiKey, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponse_RateLimited_CarriesRetryDelayFromRetryInfo()
    {
        using var client = Client("status=429;retry-after=2");

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", new ChatOptions { ModelId = Model }, Token));

        Assert.Equal(TimeSpan.FromSeconds(2), ex.RetryAfter);
    }

    [Theory]
    [InlineData("status=503", ProviderErrorKind.Overloaded, false)]
    [InlineData("error=auth", ProviderErrorKind.Authentication, false)]
    [InlineData("cut-after-chunks=3", ProviderErrorKind.Network, true)]
    [InlineData("error-after-chunks=2", ProviderErrorKind.Overloaded, true)]
    [InlineData("stall-after-chunks=1", ProviderErrorKind.Timeout, true)]
    [InlineData("malformed", ProviderErrorKind.MalformedResponse, false)]
    public async Task GetStreamingResponse_Fault_MapsToKind(string fault, ProviderErrorKind kind, bool afterOutput)
    {
        using var client = Client(fault, idleTimeoutSeconds: 1);
        var texts = new List<string>();

        var ex = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Say hello", new ChatOptions { ModelId = Model }, Token))
            {
                texts.Add(update.Text);
            }
        });

        Assert.Equal(kind, ex.Kind);
        if (afterOutput)
        {
            Assert.NotEmpty(string.Concat(texts));
        }
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private GeminiChatClient Client(string? fault = null, double idleTimeoutSeconds = 10)
    {
        var options = new ProviderOptions
        {
            BaseUrl = _emulator!.BaseUrl,
            ApiKey = ApiKey,
            StreamIdleTimeoutSeconds = idleTimeoutSeconds,
        };
        if (fault is not null)
        {
            options.Headers["x-emulator-fault"] = fault;
        }

        return new GeminiChatClient("gemini", options, _http, Catalog, TimeProvider.System);
    }
}
