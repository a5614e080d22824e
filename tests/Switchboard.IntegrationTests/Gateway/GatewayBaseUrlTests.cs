using System.ClientModel;
using System.Net;
using System.Text;
using Anthropic;
using Anthropic.Models.Messages;
using OpenAI;
using OpenAI.Chat;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>
/// Base URLs as users write them, not only as the docs do: an OpenAI-style client given the gateway's root (no <c>/v1</c>)
/// and an Anthropic-style client given <c>…/v1</c> (its SDK adds <c>/v1</c> again) both reach the endpoint they meant.
/// </summary>
public sealed class GatewayBaseUrlTests : IAsyncLifetime
{
    private GatewayFixture _fx = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _fx = await GatewayFixture.StartAsync();

    public ValueTask DisposeAsync() => _fx.DisposeAsync();

    [Fact]
    public async Task OpenAISdk_WithTheRootAsBaseUrl_NoV1_Completes()
    {
        var client = new ChatClient("openai/gpt-4.1", new ApiKeyCredential(GatewayFixture.MasterKey),
            new OpenAIClientOptions { Endpoint = _fx.BaseUrl, NetworkTimeout = TimeSpan.FromSeconds(30) });

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("Say hello")], cancellationToken: Ct);

        Assert.Contains("Emulated", completion.Content[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnthropicSdk_WithV1InTheBaseUrl_ReachesMessages()
    {
        var client = new AnthropicClient { ApiKey = GatewayFixture.MasterKey, BaseUrl = new Uri(_fx.BaseUrl, "v1").ToString(), MaxRetries = 0 };

        var message = await client.Messages.Create(new MessageCreateParams
        {
            Model = "anthropic/claude-sonnet-4-6",
            MaxTokens = 100,
            Messages = [new UserMessageParam { Content = "Say hello" }],
        }, Ct);

        Assert.Contains("Emulated", string.Concat(message.Content.Select(c => c.TryPickText(out var t) ? t.Text : "")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "responses", """{"model":"openai/gpt-4.1","input":"hi"}""", "\"object\":\"response\"")]
    [InlineData("POST", "embeddings", """{"model":"text-embedding-3-small","input":"hi"}""", "\"object\":\"list\"")]
    [InlineData("GET", "models", null, "\"object\":\"list\"")]
    [InlineData("POST", "v1/chat/completions", """{"model":"openai/gpt-4.1","messages":[{"role":"user","content":"hi"}]}""", "chat.completion")]
    [InlineData("GET", "v1/models", null, "\"object\":\"list\"")]
    [InlineData("POST", "v1/v1/chat/completions", """{"model":"openai/gpt-4.1","messages":[{"role":"user","content":"hi"}]}""", "chat.completion")]
    public async Task OpenAIPaths_AsDocumented_WithoutOrWithADoubledV1_AreServed(string method, string path, string? body, string expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await _fx.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownPath_StillAnswers404_NamingIt()
    {
        using var response = await _fx.Http.PostAsync("chat/completion", new StringContent("{}", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("POST /chat/completion", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
