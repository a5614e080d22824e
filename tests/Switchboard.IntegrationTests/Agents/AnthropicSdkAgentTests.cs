using System.Text.Json;
using Anthropic;
using Anthropic.Models.Messages;
using Switchboard.IntegrationTests.Gateway;

namespace Switchboard.IntegrationTests.Agents;

/// <summary>
/// The official Anthropic .NET SDK sending an agent's turn (cache marks, thinking with a signature, a system message inside
/// messages, an image and a tool reference in a tool result) through the gateway to each emulated provider.
/// </summary>
public sealed class AnthropicSdkAgentTests : IAsyncLifetime
{
    private GatewayFixture _fx = null!;

    public async ValueTask InitializeAsync() => _fx = await GatewayFixture.StartAsync();

    public ValueTask DisposeAsync() => _fx.DisposeAsync();

    private static MessageCreateParams AgentTurn(string model)
    {
        var ephemeral = new CacheControlEphemeral();
        return new MessageCreateParams
        {
            Model = model,
            MaxTokens = 2000,
            System = new List<TextBlockParam> { new("You are a coding agent.") { CacheControl = ephemeral } },
            Messages =
            [
                new UserMessageParam { Content = new List<ContentBlockParam> { new TextBlockParam("Look at the screenshot.") { CacheControl = ephemeral } } },
                new AssistantMessageParam
                {
                    Content = new List<ContentBlockParam>
                    {
                        new ThinkingBlockParam { Thinking = "Open the file.", Signature = "sig-sdk-1" },
                        new ToolUseBlockParam
                        {
                            ID = "toolu_sdk",
                            Name = "Read",
                            Input = new Dictionary<string, JsonElement> { ["file_path"] = JsonSerializer.SerializeToElement("/repo/shot.png") },
                        },
                    },
                },
                new UserMessageParam
                {
                    Content = new List<ContentBlockParam>
                    {
                        new ToolResultBlockParam("toolu_sdk")
                        {
                            Content = new List<Block>
                            {
                                new TextBlockParam("Screenshot:"),
                                new ImageBlockParam(new Base64ImageSource { Data = ClaudeCodeRequests.Png, MediaType = MediaType.ImagePng }) { CacheControl = ephemeral },
                                new ToolReferenceBlockParam("Grep"),
                            },
                        },
                    },
                },
                new SystemMessageParam { Content = "Answer in one sentence." },
            ],
            Tools =
            [
                new Tool
                {
                    Name = "Read",
                    Description = "Reads a file",
                    InputSchema = new InputSchema { Properties = new Dictionary<string, JsonElement> { ["file_path"] = JsonSerializer.SerializeToElement(new { type = "string" }) } },
                    CacheControl = ephemeral,
                },
            ],
        };
    }

    [Theory]
    [InlineData("anthropic/claude-sonnet-4-6", "anthropic")]
    [InlineData("openai/gpt-4.1", "openai")]
    [InlineData("gemini/gemini-2.5-flash", "gemini")]
    public async Task AgentTurnWithImageToolResult_ReachesEachProviderWithTheImage(string model, string protocol)
    {
        var client = new AnthropicClient { ApiKey = GatewayFixture.MasterKey, BaseUrl = _fx.BaseUrl.ToString().TrimEnd('/'), MaxRetries = 0 };

        var message = await client.Messages.Create(AgentTurn(model), TestContext.Current.CancellationToken);

        Assert.NotEmpty(message.Content);
        var received = Assert.Single(_fx.Emulator.Requests);
        Assert.Equal(protocol, received.Protocol);
        Assert.Contains(ClaudeCodeRequests.Png, received.Body, StringComparison.Ordinal);
        Assert.Contains("Answer in one sentence.", received.Body, StringComparison.Ordinal);
        Assert.Contains("Grep", received.Body, StringComparison.Ordinal);
        Assert.Equal(protocol == "anthropic", received.Body.Contains("sig-sdk-1", StringComparison.Ordinal));
    }
}
