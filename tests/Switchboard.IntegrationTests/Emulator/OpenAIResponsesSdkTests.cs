#pragma warning disable OPENAI001 // the Responses client is marked experimental in the OpenAI package
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenAI.Responses;
using Switchboard.Emulator;

namespace Switchboard.IntegrationTests.Emulator;

/// <summary>The official OpenAI .NET SDK's Responses client accepts the emulator's <c>/v1/responses</c> wire format.</summary>
public sealed class OpenAIResponsesSdkTests
{
    private static readonly BinaryData WeatherSchema =
        BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""");

    private static ResponsesClient Client(EmulatorHost host) =>
        new(new ApiKeyCredential("test-key"), new ResponsesClientOptions
        {
            Endpoint = new Uri(host.BaseUrl, "v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(20),
        });

    [Fact]
    public async Task Create_Text_WithUsage()
    {
        using var cts = EmulatorTestSupport.Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        var options = new CreateResponseOptions("gpt-5", [ResponseItem.CreateUserMessageItem("Hello emulator")]) { Instructions = "Be terse." };

        var response = (await Client(host).CreateResponseAsync(options, cts.Token)).Value;

        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.StartsWith("Emulated reply from openai (gpt-5): 2 messages, with a system prompt, last user text \"Hello emulator\".", response.GetOutputText());
        Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(response.OutputItems));
        Assert.True(response.Usage.InputTokenCount > 5);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
        Assert.Equal(0, response.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(0, response.Usage.OutputTokenDetails.ReasoningTokenCount);
        var recorded = Assert.Single(host.Requests);
        Assert.Equal("/v1/responses", recorded.Path);
        Assert.Equal("gpt-5", recorded.Model);
    }

    [Fact]
    public async Task Stream_EventOrder_AndTextMatchesCompleted()
    {
        using var cts = EmulatorTestSupport.Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        var options = new CreateResponseOptions("gpt-5", [ResponseItem.CreateUserMessageItem("Hello emulator")]) { StreamingEnabled = true };
        var kinds = new List<string>();
        var sequence = new List<int>();
        var text = new System.Text.StringBuilder();
        ResponseResult? completed = null;

        await foreach (var update in await Client(host).CreateResponseStreamingAsync(options, cts.Token))
        {
            kinds.Add(update.Kind.ToString());
            sequence.Add(update.SequenceNumber);
            if (update is StreamingResponseOutputTextDeltaUpdate delta)
            {
                text.Append(delta.Delta);
            }
            else if (update is StreamingResponseCompletedUpdate done)
            {
                completed = done.Response;
            }
        }

        var collapsed = kinds.Where((k, i) => i == 0 || kinds[i - 1] != k).ToList();
        Assert.Equal(
        [
            "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added", "response.output_text.delta",
            "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed",
        ], collapsed);
        Assert.Equal(Enumerable.Range(0, sequence.Count), sequence);
        Assert.NotNull(completed);
        Assert.Equal(text.ToString(), completed.GetOutputText());
        Assert.True(completed.Usage.OutputTokenCount > 0);
    }

    [Fact]
    public async Task FunctionTool_Forced_ReturnsFunctionCallItem()
    {
        using var cts = EmulatorTestSupport.Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        var options = new CreateResponseOptions("gpt-5", [ResponseItem.CreateUserMessageItem("Weather in Paris?")])
        {
            ToolChoice = ResponseToolChoice.CreateRequiredChoice(),
        };
        options.Tools.Add(ResponseTool.CreateFunctionTool("get_weather", WeatherSchema, false, "Weather for a city"));

        var response = (await Client(host).CreateResponseAsync(options, cts.Token)).Value;

        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(response.OutputItems));
        Assert.Equal("get_weather", call.FunctionName);
        Assert.StartsWith("call_", call.CallId, StringComparison.Ordinal);
        using var args = JsonDocument.Parse(call.FunctionArguments);
        Assert.Equal(JsonValueKind.String, args.RootElement.GetProperty("city").ValueKind);
    }

    [Fact]
    public async Task CustomTool_Forced_ReturnsCustomToolCallItem_Streaming()
    {
        using var cts = EmulatorTestSupport.Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        var options = new CreateResponseOptions("gpt-5", [ResponseItem.CreateUserMessageItem("Fix the typo")])
        {
            ToolChoice = ResponseToolChoice.CreateRequiredChoice(), StreamingEnabled = true,
        };
        options.Tools.Add(new CustomTool("apply_patch") { ToolDescription = "Apply a patch." });
        ResponseResult? completed = null;
        var kinds = new List<string>();

        await foreach (var update in await Client(host).CreateResponseStreamingAsync(options, cts.Token))
        {
            kinds.Add(update.Kind.ToString());
            completed = (update as StreamingResponseCompletedUpdate)?.Response ?? completed;
        }

        Assert.Contains("response.custom_tool_call_input.delta", kinds);
        var call = Assert.IsType<CustomToolCallItem>(Assert.Single(completed!.OutputItems));
        Assert.Equal("apply_patch", call.ToolName);
        Assert.False(string.IsNullOrEmpty(call.Input));
    }

    [Fact]
    public async Task Reasoning_WithEncryptedContent_RoundTrips_AndForeignBlobIsRefused()
    {
        using var cts = EmulatorTestSupport.Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        var question = ResponseItem.CreateUserMessageItem("Think, then answer.");
        var options = new CreateResponseOptions("gpt-5", [question])
        {
            ReasoningOptions = new ResponseReasoningOptions
            {
                ReasoningEffortLevel = ResponseReasoningEffortLevel.Low, ReasoningSummaryVerbosity = ResponseReasoningSummaryVerbosity.Auto,
            },
            StoredOutputEnabled = false,
        };
        options.IncludedProperties.Add(IncludedResponseProperty.ReasoningEncryptedContent);

        var first = (await Client(host).CreateResponseAsync(options, cts.Token)).Value;

        Assert.Equal(2, first.OutputItems.Count);
        var reasoning = Assert.IsType<ReasoningResponseItem>(first.OutputItems[0]);
        Assert.False(string.IsNullOrEmpty(reasoning.EncryptedContent));
        Assert.Contains("Emulated reasoning", reasoning.GetSummaryText(), StringComparison.Ordinal);
        Assert.True(first.Usage.OutputTokenDetails.ReasoningTokenCount > 0);
        Assert.IsAssignableFrom<MessageResponseItem>(first.OutputItems[1]);

        // The reasoning item goes back in the next turn's input: accepted as minted, refused when tampered with.
        var next = new CreateResponseOptions("gpt-5", [question, .. first.OutputItems, ResponseItem.CreateUserMessageItem("And then?")]) { StoredOutputEnabled = false };
        var second = (await Client(host).CreateResponseAsync(next, cts.Token)).Value;
        Assert.Equal(ResponseStatus.Completed, second.Status);

        var body = JsonNode.Parse(host.Requests[^1].Body)!.AsObject();
        body["input"]![1]!["encrypted_content"] = Convert.ToBase64String("forged"u8.ToArray());
        using var http = EmulatorTestSupport.Client(host.BaseUrl);
        var (reply, error) = await EmulatorTestSupport.SendAsync(http, EmulatorTestSupport.Post("/v1/responses", body.ToJsonString()), cts.Token);
        Assert.Equal(400, (int)reply.StatusCode);
        Assert.Contains("could not be verified", EmulatorTestSupport.Json(error)["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostedWebSearch_ProducesWebSearchCallItem_AndCacheKeyCountsCachedTokens()
    {
        using var cts = EmulatorTestSupport.Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = EmulatorTestSupport.Client(host.BaseUrl);
        const string Body = """{"model":"gpt-5","input":"news today?","tools":[{"type":"web_search"}],"prompt_cache_key":"session-1","store":false}""";

        var (reply, text) = await EmulatorTestSupport.SendAsync(http, EmulatorTestSupport.Post("/v1/responses", Body), cts.Token);

        Assert.Equal(200, (int)reply.StatusCode);
        var response = EmulatorTestSupport.Json(text);
        Assert.Equal("web_search_call", response["output"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("news today?", response["output"]![0]!["action"]!["query"]!.GetValue<string>());
        Assert.Equal("message", response["output"]![1]!["type"]!.GetValue<string>());
        Assert.True(response["usage"]!["input_tokens_details"]!["cached_tokens"]!.GetValue<int>() > 0);
        Assert.False(response["store"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Fault_HttpError_InOpenAIShape()
    {
        using var cts = EmulatorTestSupport.Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = EmulatorTestSupport.Client(host.BaseUrl);

        var (reply, text) = await EmulatorTestSupport.SendAsync(http,
            EmulatorTestSupport.Post("/v1/responses", """{"model":"gpt-5","input":"hi"}""", fault: "status=429;retry-after=2"), cts.Token);

        Assert.Equal(429, (int)reply.StatusCode);
        Assert.Equal("rate_limit_exceeded", EmulatorTestSupport.Json(text)["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Fault_ErrorAfterChunks_SendsErrorThenResponseFailed()
    {
        using var cts = EmulatorTestSupport.Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = EmulatorTestSupport.Client(host.BaseUrl);

        var (_, text) = await EmulatorTestSupport.SendAsync(http,
            EmulatorTestSupport.Post("/v1/responses", """{"model":"gpt-5","input":"hi","stream":true}""", fault: "error-after-chunks=2"), cts.Token);

        var types = EmulatorTestSupport.DataEvents(text).Select(e => e["type"]!.GetValue<string>()).ToList();
        Assert.Equal(["response.output_text.delta", "response.output_text.delta", "error", "response.failed"], types[^4..]);
        Assert.DoesNotContain("response.completed", types);
    }
}
