using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Emulator;
using ModelCatalog = Switchboard.Pricing.ModelCatalog;
using Switchboard.Providers;
using Switchboard.Providers.OpenAI;

namespace Switchboard.IntegrationTests.Providers;

/// <summary>The OpenAI adapter against the emulator over real HTTP: success, forced tool calls, and every fault.</summary>
public sealed class OpenAIAdapterTests
{
    private static readonly ModelCatalog Catalog = ModelCatalog.LoadEmbedded();
    private static readonly ChatOptions Chat = new() { ModelId = "gpt-4o-mini" };

    private static OpenAIChatClient Client(object baseUrl, string? fault = null, string type = ProviderTypes.OpenAI,
        double idleSeconds = 30)
    {
        var options = new ProviderOptions
        {
            Type = type, BaseUrl = new Uri(baseUrl.ToString()!), ApiKey = "sk-emulator-test-key",
            StreamIdleTimeoutSeconds = idleSeconds,
        };
        if (fault is not null)
        {
            options.Headers["x-emulator-fault"] = fault;
        }

        return new OpenAIChatClient("openai", options, new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, Catalog, TimeProvider.System);
    }

    private static async Task<List<ChatResponseUpdate>> StreamAsync(IChatClient client, ChatOptions? options = null)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Say hello", options ?? Chat, TestContext.Current.CancellationToken))
        {
            updates.Add(update);
        }

        return updates;
    }

    private static ChatOptions ForcedTool() => new()
    {
        ModelId = "gpt-4o-mini",
        Tools = [AIFunctionFactory.CreateDeclaration("get_weather", "Current weather for a city", JsonDocument.Parse(
            """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""").RootElement)],
        ToolMode = ChatToolMode.RequireAny,
    };

    [Fact]
    public async Task GetResponse_Emulator_ReturnsEmulatedTextAndUsage()
    {
        await using var emu = await EmulatorHost.StartAsync(new EmulatorOptions());

        var response = await Client(emu.BaseUrl).GetResponseAsync("Say hello", Chat, TestContext.Current.CancellationToken);

        Assert.Contains("Emulated", response.Text, StringComparison.OrdinalIgnoreCase);
        Assert.True(response.Usage?.InputTokenCount > 0);
        Assert.True(response.Usage?.OutputTokenCount > 0);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task Stream_Emulator_ReturnsEmulatedTextAndUsage()
    {
        await using var emu = await EmulatorHost.StartAsync(new EmulatorOptions());

        var response = (await StreamAsync(Client(emu.BaseUrl))).ToChatResponse();

        Assert.Contains("Emulated", response.Text, StringComparison.OrdinalIgnoreCase);
        Assert.True(response.Usage?.TotalTokenCount > 0);
        Assert.NotNull(response.FinishReason);
    }

    [Fact]
    public async Task GetResponse_Azure_ServesDeploymentPath()
    {
        await using var emu = await EmulatorHost.StartAsync(new EmulatorOptions());

        var response = await Client(emu.BaseUrl, type: ProviderTypes.AzureOpenAI).GetResponseAsync("Say hello", Chat, TestContext.Current.CancellationToken);

        Assert.False(string.IsNullOrEmpty(response.Text));
    }

    [Fact]
    public async Task GetResponse_RequiredTool_CallsToolWithRequiredArguments()
    {
        await using var emu = await EmulatorHost.StartAsync(new EmulatorOptions());

        var response = await Client(emu.BaseUrl).GetResponseAsync("Weather?", ForcedTool(), TestContext.Current.CancellationToken);

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("get_weather", call.Name);
        Assert.True(call.Arguments?.ContainsKey("city"));
        Assert.False(string.IsNullOrEmpty(call.CallId));
    }

    [Fact]
    public async Task Stream_RequiredTool_AssemblesToolCall()
    {
        await using var emu = await EmulatorHost.StartAsync(new EmulatorOptions());

        var updates = await StreamAsync(Client(emu.BaseUrl), ForcedTool());

        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.Equal("get_weather", call.Name);
        Assert.True(call.Arguments?.ContainsKey("city"));
    }

    [Theory]
    [InlineData("status=429;retry-after=2", ProviderErrorKind.RateLimited)]
    [InlineData("status=500", ProviderErrorKind.ServerError)]
    [InlineData("status=503", ProviderErrorKind.Overloaded)]
    [InlineData("error=quota", ProviderErrorKind.QuotaExceeded)]
    [InlineData("error=context_length", ProviderErrorKind.ContextLengthExceeded)]
    [InlineData("error=auth", ProviderErrorKind.Authentication)]
    [InlineData("reset", ProviderErrorKind.Network)]
    [InlineData("malformed", ProviderErrorKind.MalformedResponse)]
    public async Task GetResponse_Fault_ThrowsExpectedKind(string fault, ProviderErrorKind kind)
    {
        await using var emu = await EmulatorHost.StartAsync(new EmulatorOptions());

        var ex = await Assert.ThrowsAsync<ProviderException>(() =>
            Client(emu.BaseUrl, fault).GetResponseAsync("Say hello", Chat, TestContext.Current.CancellationToken));

        Assert.Equal(kind, ex.Kind);
        Assert.DoesNotContain("sk-emulator-test-key", ex.Message, StringComparison.Ordinal);
        if (fault.Contains("retry-after", StringComparison.Ordinal))
        {
            Assert.Equal(TimeSpan.FromSeconds(2), ex.RetryAfter);
        }
    }

    [Theory]
    [InlineData("cut-after-chunks=3", ProviderErrorKind.Network)]
    [InlineData("error-after-chunks=2", ProviderErrorKind.ServerError)]
    [InlineData("stall-after-chunks=1", ProviderErrorKind.Timeout)]
    [InlineData("malformed", ProviderErrorKind.MalformedResponse)]
    [InlineData("status=429;retry-after=2", ProviderErrorKind.RateLimited)]
    public async Task Stream_Fault_ThrowsExpectedKind(string fault, ProviderErrorKind kind)
    {
        await using var emu = await EmulatorHost.StartAsync(new EmulatorOptions());

        var ex = await Assert.ThrowsAsync<ProviderException>(() => StreamAsync(Client(emu.BaseUrl, fault, idleSeconds: 1)));

        Assert.Equal(kind, ex.Kind);
    }

}
