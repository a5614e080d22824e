#pragma warning disable OPENAI001 // the Responses client is marked experimental in the OpenAI package
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenAI.Responses;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>
/// Stored responses through the official OpenAI .NET SDK and raw HTTP: <c>store</c>, <c>previous_response_id</c> chaining
/// (checked against what the emulated provider received), GET / DELETE / input_items, ownership per key, and input_tokens.
/// </summary>
public sealed class ResponsesStateTests : IAsyncLifetime
{
    private GatewayFixture _fx = null!;

    public async ValueTask InitializeAsync() => _fx = await GatewayFixture.StartAsync();

    public ValueTask DisposeAsync() => _fx.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ResponsesClient Client(string key = GatewayFixture.MasterKey) =>
        new(new ApiKeyCredential(key), new ResponsesClientOptions { Endpoint = new Uri(_fx.BaseUrl, "v1"), NetworkTimeout = TimeSpan.FromSeconds(30) });

    private static CreateResponseOptions Ask(string model, string text, string? previous = null) =>
        new(model, [ResponseItem.CreateUserMessageItem(text)]) { PreviousResponseId = previous };

    private async Task<string> NewKeyAsync()
    {
        using var response = await _fx.Http.PostAsJsonAsync("admin/keys", new { name = "other-team" }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("key").GetString()!;
    }

    private static async Task<ClientResultException> FailsAsync(Func<Task> call) => await Assert.ThrowsAsync<ClientResultException>(call);

    [Theory]
    [MemberData(nameof(ResponsesSdkTests.Models), MemberType = typeof(ResponsesSdkTests))]
    public async Task Stored_ThenChained_TheProviderReceivesTheEarlierTurn(string model, string provider)
    {
        var client = Client();
        var first = (await client.CreateResponseAsync(Ask(model, "My name is Ada-7731."), Ct)).Value;

        var second = (await client.CreateResponseAsync(Ask(model, "What is my name?", first.Id), Ct)).Value;

        Assert.Equal(first.Id, second.PreviousResponseId);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Contains("3 messages", second.GetOutputText(), StringComparison.Ordinal);
        var sent = _fx.Emulator.Requests.Where(r => r.Protocol == provider).Select(r => r.Body).ToList();
        Assert.Equal(2, sent.Count);
        Assert.DoesNotContain(first.Id, sent[1], StringComparison.Ordinal); // Switchboard's ids never go upstream
        var earlier = sent[1].IndexOf("Ada-7731", StringComparison.Ordinal);
        var reply = sent[1].IndexOf($"Emulated reply from {provider}", StringComparison.Ordinal);
        var question = sent[1].IndexOf("What is my name?", StringComparison.Ordinal);
        Assert.True(earlier >= 0 && reply > earlier && question > reply, $"expected the earlier turn, its answer, then the new input in: {sent[1]}");
    }

    [Fact]
    public async Task Get_InputItems_Delete_ThroughTheSdk()
    {
        var client = Client();
        var first = (await client.CreateResponseAsync(Ask("openai/gpt-4.1", "My name is Ada."), Ct)).Value;
        var second = (await client.CreateResponseAsync(Ask("openai/gpt-4.1", "What is my name?", first.Id), Ct)).Value;

        var got = (await client.GetResponseAsync(second.Id, Ct)).Value;
        Assert.Equal((second.Id, ResponseStatus.Completed, second.GetOutputText(), first.Id),
            (got.Id, got.Status!.Value, got.GetOutputText(), got.PreviousResponseId));
        Assert.Equal(second.Usage.TotalTokenCount, got.Usage.TotalTokenCount);

        var items = new List<ResponseItem>();
        await foreach (var item in client.GetResponseInputItemsAsync(
            new ResponseItemCollectionOptions(second.Id) { PageSizeLimit = 2, Order = ResponseItemCollectionOrder.Ascending }, Ct))
        {
            items.Add(item);
        }

        var messages = items.Select(i => Assert.IsAssignableFrom<MessageResponseItem>(i)).ToList();
        Assert.Equal(
            [(MessageRole.User, "My name is Ada."), (MessageRole.Assistant, first.GetOutputText()), (MessageRole.User, "What is my name?")],
            messages.Select(m => (m.Role, m.Content[0].Text)));
        Assert.Equal(3, items.Select(i => i.Id).Distinct().Count());

        var deleted = (await client.DeleteResponseAsync(first.Id, Ct)).Value;
        Assert.True(deleted.Deleted);
        Assert.Equal(first.Id, deleted.ResponseId);
        Assert.Equal(404, (await FailsAsync(() => client.GetResponseAsync(first.Id, Ct))).Status);
        Assert.Equal(404, (await FailsAsync(() => client.DeleteResponseAsync(first.Id, Ct))).Status);
        Assert.Equal(400, (await FailsAsync(() => client.CreateResponseAsync(Ask("openai/gpt-4.1", "again", first.Id), Ct))).Status);
        Assert.Equal(second.Id, (await client.GetResponseAsync(second.Id, Ct)).Value.Id); // the later turn keeps its own copy
    }

    [Fact]
    public async Task InputItems_RawPaging_DescByDefault_BadParameters400()
    {
        var first = (await Client().CreateResponseAsync(new CreateResponseOptions("openai/gpt-4.1",
            [ResponseItem.CreateUserMessageItem("one"), ResponseItem.CreateAssistantMessageItem("two"), ResponseItem.CreateUserMessageItem("three")]), Ct)).Value;

        var page = await _fx.Http.GetFromJsonAsync<JsonElement>($"v1/responses/{first.Id}/input_items?limit=2", Ct);
        Assert.Equal("list", page.GetProperty("object").GetString());
        Assert.Equal(["three", "two"], page.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("content")[0].GetProperty("text").GetString()));
        Assert.True(page.GetProperty("has_more").GetBoolean());
        var after = page.GetProperty("last_id").GetString();
        var rest = await _fx.Http.GetFromJsonAsync<JsonElement>($"v1/responses/{first.Id}/input_items?limit=2&after={after}", Ct);
        Assert.Equal(["one"], rest.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("content")[0].GetProperty("text").GetString()));
        Assert.False(rest.GetProperty("has_more").GetBoolean());

        foreach (var (query, param) in new[] { ("limit=0", "limit"), ("limit=101", "limit"), ("order=up", "order"), ("after=nope", "after") })
        {
            using var bad = await _fx.Http.GetAsync($"v1/responses/{first.Id}/input_items?{query}", Ct);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal(param, (await bad.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetProperty("param").GetString());
        }
    }

    [Fact]
    public async Task AnotherKey_404_CannotChainOrDelete_TheOwnerStillCan()
    {
        var ownerKey = await NewKeyAsync();
        var owner = Client(ownerKey);
        var first = (await owner.CreateResponseAsync(Ask("openai/gpt-4.1", "secret plan"), Ct)).Value;
        var other = Client(await NewKeyAsync());

        Assert.Equal(404, (await FailsAsync(() => other.GetResponseAsync(first.Id, Ct))).Status);
        Assert.Equal(404, (await FailsAsync(() => other.DeleteResponseAsync(first.Id, Ct))).Status);
        using (var items = await _fx.WithKey(await NewKeyAsync()).GetAsync($"v1/responses/{first.Id}/input_items", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, items.StatusCode);
        }

        var chained = await FailsAsync(() => other.CreateResponseAsync(Ask("openai/gpt-4.1", "tell me", first.Id), Ct));
        Assert.Equal(400, chained.Status);
        Assert.Contains("previous_response_not_found", chained.GetRawResponse()!.Content.ToString(), StringComparison.Ordinal);
        Assert.Equal(404, (await FailsAsync(() => Client().GetResponseAsync(first.Id, Ct))).Status); // the master key is another caller too
        Assert.Equal(first.Id, (await owner.GetResponseAsync(first.Id, Ct)).Value.Id);
    }

    [Fact]
    public async Task StoreFalse_NothingKept()
    {
        var client = Client();
        var response = (await client.CreateResponseAsync(new CreateResponseOptions("openai/gpt-4.1", [ResponseItem.CreateUserMessageItem("hi")])
        {
            StoredOutputEnabled = false,
        }, Ct)).Value;

        Assert.Equal(404, (await FailsAsync(() => client.GetResponseAsync(response.Id, Ct))).Status);
        Assert.Equal(400, (await FailsAsync(() => client.CreateResponseAsync(Ask("openai/gpt-4.1", "and?", response.Id), Ct))).Status);
    }

    [Fact]
    public async Task UnknownPreviousId_400_PreviousResponseNotFound_WithTheParam()
    {
        var error = await FailsAsync(() => Client().CreateResponseAsync(Ask("openai/gpt-4.1", "hi", "resp_0123456789abcdef"), Ct));

        Assert.Equal(400, error.Status);
        var body = JsonDocument.Parse(error.GetRawResponse()!.Content.ToString()).RootElement.GetProperty("error");
        Assert.Equal(("previous_response_not_found", "previous_response_id", "invalid_request_error"),
            (body.GetProperty("code").GetString(), body.GetProperty("param").GetString(), body.GetProperty("type").GetString()));
        Assert.Empty(_fx.Emulator.Requests);
    }

    [Theory]
    [MemberData(nameof(ResponsesSdkTests.Models), MemberType = typeof(ResponsesSdkTests))]
    public async Task Streamed_StoredBeforeCompletedArrives_AndChainable(string model, string provider)
    {
        var client = Client();
        ResponseResult? fetched = null;
        string? id = null;
        await foreach (var update in await client.CreateResponseStreamingAsync(new CreateResponseOptions(model, [ResponseItem.CreateUserMessageItem("Say hello")])
        {
            StreamingEnabled = true,
        }, Ct))
        {
            if (update is StreamingResponseCompletedUpdate completed)
            {
                // Read back while the stream is still open: the row exists before response.completed is sent.
                id = completed.Response.Id;
                fetched = (await client.GetResponseAsync(id, Ct)).Value;
                Assert.Equal(completed.Response.GetOutputText(), fetched.GetOutputText());
            }
        }

        Assert.NotNull(fetched);
        Assert.Equal(ResponseStatus.Completed, fetched.Status);
        Assert.Contains($"Emulated reply from {provider}", fetched.GetOutputText(), StringComparison.Ordinal);
        var next = (await client.CreateResponseAsync(Ask(model, "And again?", id), Ct)).Value;
        Assert.Contains("3 messages", next.GetOutputText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InputTokens_PositiveCount_GrowsWithTheChain()
    {
        var first = (await Client().CreateResponseAsync(Ask("openai/gpt-4.1", "My name is Ada and I like long walks on the beach."), Ct)).Value;

        var alone = await CountAsync("""{"model":"openai/gpt-4.1","input":"What is my name?"}""");
        var chained = await CountAsync($$"""{"model":"openai/gpt-4.1","input":"What is my name?","previous_response_id":"{{first.Id}}"}""");

        Assert.True(alone > 0, $"{alone}");
        Assert.True(chained > alone + 10, $"{chained} vs {alone}");
        using var unknown = await _fx.Http.PostAsync("v1/responses/input_tokens",
            new StringContent("""{"input":"x","previous_response_id":"resp_nope"}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("previous_response_id", (await unknown.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetProperty("param").GetString());

        // The SDK's own call reaches the same endpoint.
        var sdk = await Client().GetInputTokenCountAsync(BinaryContent.Create(BinaryData.FromString("""{"model":"openai/gpt-4.1","input":"What is my name?"}""")),
            "application/json", new RequestOptions { CancellationToken = Ct });
        using var parsed = JsonDocument.Parse(sdk.GetRawResponse().Content.ToString());
        Assert.Equal(alone, parsed.RootElement.GetProperty("input_tokens").GetInt64());
        // Counting asks OpenAI's own input_tokens endpoint; nothing is generated.
        Assert.All(_fx.Emulator.Requests.Skip(1), r => Assert.Equal("/v1/responses/input_tokens", r.Path));
    }

    private async Task<long> CountAsync(string body)
    {
        using var response = await _fx.Http.PostAsync("v1/responses/input_tokens", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("response.input_tokens", json.GetProperty("object").GetString());
        return json.GetProperty("input_tokens").GetInt64();
    }
}
