#pragma warning disable OPENAI001 // the Responses client is marked experimental in the OpenAI package
using System.ClientModel;
using System.Text.Json;
using OpenAI.Responses;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>The official OpenAI .NET SDK's Responses client against the gateway, routed to each emulated provider.</summary>
public sealed class ResponsesSdkTests : IAsyncLifetime
{
    public static readonly TheoryData<string, string> Models = new()
    {
        { "openai/gpt-4.1", "openai" },
        { "anthropic/claude-sonnet-4-6", "anthropic" },
        { "gemini/gemini-2.5-flash", "gemini" },
    };

    private static readonly BinaryData WeatherSchema =
        BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""");

    private GatewayFixture _fx = null!;

    public async ValueTask InitializeAsync() => _fx = await GatewayFixture.StartAsync();

    public ValueTask DisposeAsync() => _fx.DisposeAsync();

    private ResponsesClient Client() =>
        new(new ApiKeyCredential(GatewayFixture.MasterKey), new ResponsesClientOptions { Endpoint = new Uri(_fx.BaseUrl, "v1"), NetworkTimeout = TimeSpan.FromSeconds(30) });

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Text_WithInstructions(string model, string provider)
    {
        var options = new CreateResponseOptions(model, [ResponseItem.CreateUserMessageItem("Say hello")]) { Instructions = "Be brief." };

        var response = (await Client().CreateResponseAsync(options)).Value;

        Assert.StartsWith("resp_", response.Id, StringComparison.Ordinal);
        Assert.Equal(ResponseStatus.Completed, response.Status);
        var text = response.GetOutputText();
        Assert.Contains($"Emulated reply from {provider}", text, StringComparison.Ordinal);
        Assert.Contains("with a system prompt", text, StringComparison.Ordinal);
        Assert.True(response.Usage.OutputTokenCount > 0);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task ImageInput_ReachesTheProviderAsItsOwnImagePart(string model, string provider)
    {
        // A 1×1 PNG, as the SDK sends an image it was given as bytes (an input_image with a data: URL).
        const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
        var options = new CreateResponseOptions(model,
        [
            ResponseItem.CreateUserMessageItem(
            [
                ResponseContentPart.CreateInputTextPart("What is in this picture?"),
                ResponseContentPart.CreateInputImagePart(BinaryData.FromBytes(Convert.FromBase64String(Png), "image/png")),
            ]),
        ]);

        var response = (await Client().CreateResponseAsync(options)).Value;

        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.Contains($"Emulated reply from {provider}", response.GetOutputText(), StringComparison.Ordinal);
        var sent = _fx.Emulator.Requests[^1];
        Assert.Contains(Png.TrimEnd('='), sent.Body, StringComparison.Ordinal);
        Assert.Contains(provider switch
        {
            "openai" => "\"type\":\"input_image\"",   // OpenAI's own Responses API
            "anthropic" => "\"type\":\"image\"",
            _ => "\"inlineData\"",
        }, sent.Body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task MultiTurn_Items(string model, string provider)
    {
        var options = new CreateResponseOptions(model,
        [
            ResponseItem.CreateUserMessageItem("My name is Ada."),
            ResponseItem.CreateAssistantMessageItem("Hello Ada."),
            ResponseItem.CreateUserMessageItem([ResponseContentPart.CreateInputTextPart("What is my name?")]),
        ]);

        var response = (await Client().CreateResponseAsync(options)).Value;

        var text = response.GetOutputText();
        Assert.Contains($"Emulated reply from {provider}", text, StringComparison.Ordinal);
        Assert.Contains("3 messages", text, StringComparison.Ordinal);
        Assert.Contains("no system prompt", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Streaming_EventOrder(string model, string provider)
    {
        var options = new CreateResponseOptions(model, [ResponseItem.CreateUserMessageItem("Say hello")]) { Instructions = "Be brief.", StreamingEnabled = true };
        var kinds = new List<string>();
        var sequence = new List<int>();
        var text = new System.Text.StringBuilder();
        ResponseResult? completed = null;

        await foreach (var update in await Client().CreateResponseStreamingAsync(options))
        {
            kinds.Add(update.Kind.ToString());
            sequence.Add(update.SequenceNumber);
            switch (update)
            {
                case StreamingResponseOutputTextDeltaUpdate delta:
                    text.Append(delta.Delta);
                    break;
                case StreamingResponseCompletedUpdate done:
                    completed = done.Response;
                    break;
            }
        }

        var collapsed = kinds.Where((k, i) => i == 0 || kinds[i - 1] != k).ToList();
        Assert.Equal(
        [
            "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added", "response.output_text.delta",
            "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed",
        ], collapsed);
        Assert.Equal(Enumerable.Range(0, sequence.Count), sequence);
        Assert.Contains($"Emulated reply from {provider}", text.ToString(), StringComparison.Ordinal);
        Assert.NotNull(completed);
        Assert.StartsWith("resp_", completed.Id, StringComparison.Ordinal);
        Assert.Equal(ResponseStatus.Completed, completed.Status);
        Assert.Equal(text.ToString(), completed.GetOutputText());
        Assert.True(completed.Usage.OutputTokenCount > 0);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task FunctionTool_RoundTrip(string model, string provider)
    {
        _fx.Emulator.Options.ProviderFaults[provider] = "call-tool";
        try
        {
            var question = ResponseItem.CreateUserMessageItem("Weather in Paris?");
            var options = new CreateResponseOptions(model, [question]) { ToolChoice = ResponseToolChoice.CreateAutoChoice() };
            options.Tools.Add(ResponseTool.CreateFunctionTool("get_weather", WeatherSchema, false, "Weather for a city"));

            var first = (await Client().CreateResponseAsync(options)).Value;

            var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(first.OutputItems));
            Assert.Equal("get_weather", call.FunctionName);
            using (var args = JsonDocument.Parse(call.FunctionArguments))
            {
                Assert.Equal(JsonValueKind.String, args.RootElement.GetProperty("city").ValueKind);
            }

            var next = new CreateResponseOptions(model, [question, call, ResponseItem.CreateFunctionCallOutputItem(call.CallId, "sunny, 21 C")]);
            next.Tools.Add(ResponseTool.CreateFunctionTool("get_weather", WeatherSchema, false, "Weather for a city"));
            var second = (await Client().CreateResponseAsync(next)).Value;

            Assert.Matches("received tool result \".*sunny, 21 C", second.GetOutputText());
        }
        finally
        {
            _fx.Emulator.Options.ProviderFaults.TryRemove(provider, out _);
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task CustomTool_RoundTrip(string model, string provider)
    {
        _fx.Emulator.Options.ProviderFaults[provider] = "call-tool";
        try
        {
            var question = ResponseItem.CreateUserMessageItem("Fix the typo in README.md");
            var options = new CreateResponseOptions(model, [question]);
            options.Tools.Add(new CustomTool("apply_patch") { ToolDescription = "Apply a patch to files." });

            var first = (await Client().CreateResponseAsync(options)).Value;

            var call = Assert.IsType<CustomToolCallItem>(Assert.Single(first.OutputItems));
            Assert.Equal("apply_patch", call.ToolName);
            Assert.False(string.IsNullOrEmpty(call.Input));

            var next = new CreateResponseOptions(model,
                [question, call, ResponseItem.CreateCustomToolCallOutputItem(call.CallId, [ResponseContentPart.CreateInputTextPart("patch applied")])]);
            next.Tools.Add(new CustomTool("apply_patch"));
            var second = (await Client().CreateResponseAsync(next)).Value;

            Assert.Matches("received tool result \".*patch applied", second.GetOutputText());
        }
        finally
        {
            _fx.Emulator.Options.ProviderFaults.TryRemove(provider, out _);
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Streaming_MidStreamFailure_EndsWithResponseFailed(string model, string provider)
    {
        _fx.Emulator.Options.ProviderFaults[provider] = "cut-after-chunks=2;reply-tokens=40";
        try
        {
            var kinds = new List<string>();
            ResponseResult? failed = null;
            await foreach (var update in await Client().CreateResponseStreamingAsync(new CreateResponseOptions(model, [ResponseItem.CreateUserMessageItem("hi")]) { StreamingEnabled = true }))
            {
                kinds.Add(update.Kind.ToString());
                if (update is StreamingResponseFailedUpdate f)
                {
                    failed = f.Response;
                }
            }

            Assert.Contains("response.output_text.delta", kinds);
            Assert.DoesNotContain("response.completed", kinds);
            Assert.Equal(["error", "response.failed"], kinds[^2..]);
            Assert.NotNull(failed);
            Assert.Equal(ResponseStatus.Failed, failed.Status);
            Assert.False(string.IsNullOrEmpty(failed.Error.Message));
        }
        finally
        {
            _fx.Emulator.Options.ProviderFaults.TryRemove(provider, out _);
        }
    }

    [Theory]
    [InlineData("anthropic/claude-sonnet-4-6")]
    [InlineData("gemini/gemini-2.5-flash")]
    public async Task HostedTool_ToANonOpenAIProvider_400NamingTheTool(string model)
    {
        var options = new CreateResponseOptions(model, [ResponseItem.CreateUserMessageItem("news?")]);
        options.Tools.Add(ResponseTool.CreateWebSearchTool());

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Client().CreateResponseAsync(options));

        Assert.Equal(400, error.Status);
        Assert.Contains("web_search", error.Message, StringComparison.Ordinal);
    }
}
