using System.ClientModel;
using Anthropic;
using Anthropic.Models.Messages;
using OpenAI;
using OpenAI.Chat;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>The official OpenAI and Anthropic .NET SDKs as clients of the gateway: only the base URL changes.</summary>
public sealed class GatewaySdkTests : IAsyncLifetime
{
    private GatewayFixture _fx = null!;

    public async ValueTask InitializeAsync() => _fx = await GatewayFixture.StartAsync();

    public ValueTask DisposeAsync() => _fx.DisposeAsync();

    private ChatClient OpenAIChat(string model) =>
        new(model, new ApiKeyCredential(GatewayFixture.MasterKey), new OpenAIClientOptions { Endpoint = new Uri(_fx.BaseUrl, "v1"), NetworkTimeout = TimeSpan.FromSeconds(30) });

    [Fact]
    public async Task OpenAISdk_Chat()
    {
        var completion = (await OpenAIChat("smart").CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Say hello")])).Value;

        Assert.Contains("Emulated", completion.Content[0].Text, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.True(completion.Usage.OutputTokenCount > 0);
    }

    [Fact]
    public async Task OpenAISdk_Streaming()
    {
        var text = new System.Text.StringBuilder();
        ChatTokenUsage? usage = null;
        await foreach (var update in OpenAIChat("fast").CompleteChatStreamingAsync([new UserChatMessage("Say hello")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage ??= update.Usage;
        }

        Assert.Contains("Emulated", text.ToString(), StringComparison.Ordinal);
        Assert.NotNull(usage);
        Assert.True(usage.OutputTokenCount > 0);
    }

    [Fact]
    public async Task OpenAISdk_ToolCall_FromAnthropicUpstream()
    {
        var tool = ChatTool.CreateFunctionTool("get_weather", "Weather for a city",
            BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));
        var options = new ChatCompletionOptions { ToolChoice = ChatToolChoice.CreateRequiredChoice() };
        options.Tools.Add(tool);

        var completion = (await OpenAIChat("anthropic/claude-sonnet-4-6").CompleteChatAsync([new UserChatMessage("Weather in Paris?")], options)).Value;

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        using var args = System.Text.Json.JsonDocument.Parse(call.FunctionArguments);
        Assert.True(args.RootElement.TryGetProperty("city", out _));
    }

    [Fact]
    public async Task OpenAISdk_UnknownModel_ClientResultException404()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => OpenAIChat("no-such-model").CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(404, error.Status);
    }

    [Fact]
    public async Task AnthropicSdk_Messages_AndStreaming()
    {
        var client = new AnthropicClient { ApiKey = GatewayFixture.MasterKey, BaseUrl = _fx.BaseUrl.ToString().TrimEnd('/'), MaxRetries = 0 };

        var message = await client.Messages.Create(new MessageCreateParams
        {
            Model = "gemini/gemini-2.5-flash",
            MaxTokens = 200,
            Messages = [new UserMessageParam { Content = "Say hello" }],
        });
        Assert.Contains("Emulated", string.Concat(message.Content.Select(c => c.TryPickText(out var t) ? t.Text : "")), StringComparison.Ordinal);

        var streamed = new System.Text.StringBuilder();
        await foreach (var e in client.Messages.CreateStreaming(new MessageCreateParams
        {
            Model = "openai/gpt-4.1",
            MaxTokens = 200,
            Messages = [new UserMessageParam { Content = "Say hello" }],
        }))
        {
            if (e.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var text))
            {
                streamed.Append(text.Text);
            }
        }

        Assert.Contains("Emulated", streamed.ToString(), StringComparison.Ordinal);
    }
}
