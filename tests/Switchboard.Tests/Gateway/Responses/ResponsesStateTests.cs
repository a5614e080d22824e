using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Chat;
using Switchboard.Gateway.Edges;
using Switchboard.Gateway.Edges.Responses;
using Switchboard.Gateway.Edges.Responses.Storage;

namespace Switchboard.Tests.Gateway.Responses;

/// <summary><see cref="ResponsesState"/> over an in-memory store: chaining, ownership, the size cap, storing off.</summary>
public sealed class ResponsesStateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly MemoryStore _store = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero));

    private ResponsesState State(ResponseStoreOptions? options = null) =>
        new(_store, Options.Create(options ?? new ResponseStoreOptions()), _time, NullLogger<ResponsesState>.Instance);

    private static EdgeRequest Parse(string json) => ResponsesEdgeRequestMapper.Parse(Encoding.UTF8.GetBytes(json));

    private static ResponsesEdgeContext Context(EdgeRequest request) => (ResponsesEdgeContext)request.State!;

    private static readonly CallerIdentity Ada = new("key_ada", "key_ada");
    private static readonly CallerIdentity Bob = new("key_bob", "key_bob");

    /// <summary>Runs one turn: prepare, then store the answer <paramref name="reply"/> as the edge would.</summary>
    private async Task<(EdgeRequest Request, ResponsesEdgeContext Context)> TurnAsync(ResponsesState state, string json, CallerIdentity caller, string reply)
    {
        var request = Parse(json);
        var context = Context(request);
        await state.PrepareAsync(request, context, caller, Ct);
        var answer = ResponsesEdgeResponseWriter.WriteResponse(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply))
        {
            Usage = new UsageDetails { InputTokenCount = 5, OutputTokenCount = 2 },
        }, context, "gpt-4.1", context.ResponseId, _time.GetUtcNow().ToUnixTimeSeconds());
        await state.SaveAsync(context, answer, Ct);
        return (request, context);
    }

    [Fact]
    public async Task Chain_PutsThePreviousTurnsAfterTheNewInstructions_BeforeTheNewInput()
    {
        var state = State();
        var (_, first) = await TurnAsync(state, """{"model":"m","instructions":"old rules","input":"I am Ada"}""", Ada, "Hello Ada");

        var (second, context) = await TurnAsync(state,
            $$"""{"model":"m","instructions":"new rules","input":"What is my name?","previous_response_id":"{{first.ResponseId}}"}""", Ada, "Ada");

        Assert.Equal(
            [(ChatRole.System, "new rules"), (ChatRole.User, "I am Ada"), (ChatRole.Assistant, "Hello Ada"), (ChatRole.User, "What is my name?")],
            second.Messages.Select(m => (m.Role, m.Text)));
        var stored = (await _store.GetAsync(context.ResponseId, "key_ada", Ct))!;
        var texts = JsonDocument.Parse(stored.InputItemsJson).RootElement.EnumerateArray()
            .Select(i => i.GetProperty("content")[0].GetProperty("text").GetString()).ToList();
        Assert.Equal(["I am Ada", "Hello Ada", "What is my name?"], texts);
        Assert.Equal(first.ResponseId, JsonDocument.Parse(stored.ResponseJson).RootElement.GetProperty("previous_response_id").GetString());
        Assert.Equal((5L, 2L, "completed", "key_ada"), (stored.InputTokens!.Value, stored.OutputTokens!.Value, stored.Status, stored.Owner));
        Assert.Equal(_time.GetUtcNow().AddDays(30), stored.ExpiresAt);
    }

    [Fact]
    public async Task Chain_AnotherCallersResponse_PreviousResponseNotFound()
    {
        var state = State();
        var (_, first) = await TurnAsync(state, """{"model":"m","input":"secret"}""", Ada, "ok");
        var request = Parse($$"""{"model":"m","input":"x","previous_response_id":"{{first.ResponseId}}"}""");

        var error = await Assert.ThrowsAsync<EdgeRequestException>(() => state.PrepareAsync(request, Context(request), Bob, Ct).AsTask());

        Assert.Equal(("previous_response_not_found", "previous_response_id"), (error.Code, error.Param));
    }

    [Fact]
    public async Task StoreFalse_NothingKept()
    {
        var state = State();

        var (_, context) = await TurnAsync(state, """{"model":"m","input":"x","store":false}""", Ada, "ok");

        Assert.Empty(_store.Rows);
        Assert.False(context.Store);
    }

    [Fact]
    public async Task Disabled_NothingKept_AndChainingRefused()
    {
        var state = State(new ResponseStoreOptions { Enabled = false });
        var (_, context) = await TurnAsync(state, """{"model":"m","input":"x"}""", Ada, "ok");
        Assert.Empty(_store.Rows);
        Assert.False(context.Store);

        var request = Parse($$"""{"model":"m","input":"x","previous_response_id":"{{context.ResponseId}}"}""");
        var error = await Assert.ThrowsAsync<EdgeRequestException>(() => state.PrepareAsync(request, Context(request), Ada, Ct).AsTask());
        Assert.Equal("previous_response_not_found", error.Code);
    }

    [Fact]
    public async Task OverTheSizeCap_AnsweredButNotStored()
    {
        var state = State(new ResponseStoreOptions { MaxStoredBytes = 2048 });

        await TurnAsync(state, $$"""{"model":"m","input":"{{new string('x', 4096)}}"}""", Ada, "ok");
        await TurnAsync(state, """{"model":"m","input":"small"}""", Ada, "ok");

        Assert.Single(_store.Rows);
    }

    [Fact]
    public async Task StoreDown_AnswerNotFailed()
    {
        _store.Fail = true;

        var (_, context) = await TurnAsync(State(), """{"model":"m","input":"x"}""", Ada, "ok");

        Assert.True(context.Store);
        Assert.Empty(_store.Rows);
    }

    [Fact]
    public async Task Chain_EmptyInput_ContinuesFromTheStoredTurns_ButNothingAtAllIsRefused()
    {
        var state = State();
        var (_, first) = await TurnAsync(state, """{"model":"m","input":"hi"}""", Ada, "ok");
        var request = Parse($$"""{"model":"m","input":[],"previous_response_id":"{{first.ResponseId}}"}""");

        await state.PrepareAsync(request, Context(request), Ada, Ct);

        Assert.Equal(2, request.Messages.Count);
    }

    [Fact]
    public async Task ItemReference_ReplacedByTheStoredItem_InTheMessagesAndTheStoredInput()
    {
        var state = State();
        var (_, first) = await TurnAsync(state, """{"model":"m","input":"I am Ada"}""", Ada, "Hello Ada");
        var answerId = JsonDocument.Parse(_store.Rows[first.ResponseId].ResponseJson).RootElement.GetProperty("output")[0].GetProperty("id").GetString();

        var (second, context) = await TurnAsync(state,
            $$"""{"model":"m","instructions":"rules","input":[{"type":"item_reference","id":"{{answerId}}"},{"role":"user","content":"Name?"}]}""", Ada, "Ada");

        Assert.Equal([(ChatRole.System, "rules"), (ChatRole.Assistant, "Hello Ada"), (ChatRole.User, "Name?")], second.Messages.Select(m => (m.Role, m.Text)));
        var stored = JsonDocument.Parse(_store.Rows[context.ResponseId].InputItemsJson).RootElement;
        Assert.Equal((answerId, "assistant"), (stored[0].GetProperty("id").GetString(), stored[0].GetProperty("role").GetString()));
        // Its own input (the resolved item included) and its output are indexed; the first turn's items are not copied again.
        Assert.Equal([answerId, stored[1].GetProperty("id").GetString(), $"msg_{context.ResponseId}_0"], _store.Rows[context.ResponseId].Items.Select(i => i.Id));
    }

    [Fact]
    public async Task ItemReference_AnotherCallersOrUnknown_400NamingTheIndex()
    {
        var state = State();
        var (_, first) = await TurnAsync(state, """{"model":"m","input":"secret"}""", Ada, "ok");
        var adas = _store.Rows[first.ResponseId].Items[0].Id;

        foreach (var id in new[] { adas, "msg_unknown" })
        {
            var request = Parse($$"""{"model":"m","input":[{"role":"user","content":"x"},{"type":"item_reference","id":"{{id}}"}]}""");
            var error = await Assert.ThrowsAsync<EdgeRequestException>(() => state.PrepareAsync(request, Context(request), Bob, Ct).AsTask());
            Assert.Equal(("input[1].id", null), (error.Param, error.Code));
            Assert.Contains(id, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Failed_Stored_NotIndexed_NotChainable()
    {
        var state = State();
        var request = Parse("""{"model":"m","input":"x"}""");
        var context = Context(request);
        await state.PrepareAsync(request, context, Ada, Ct);
        var writer = new ResponsesEdgeStreamWriter(context, "gpt-4.1", context.ResponseId, 0);
        Assert.NotEmpty(writer.OnUpdate(new ChatResponseUpdate(ChatRole.Assistant, "partial")));
        var failed = JsonDocument.Parse(writer.Fail("server_error", "upstream cut", null).Last().Data).RootElement.GetProperty("response").GetRawText();

        await state.SaveAsync(context, Encoding.UTF8.GetBytes(failed), Ct);

        var row = _store.Rows[context.ResponseId];
        Assert.Equal("failed", row.Status);
        Assert.Empty(row.Items);
        var next = Parse($$"""{"model":"m","input":"go on","previous_response_id":"{{context.ResponseId}}"}""");
        var error = await Assert.ThrowsAsync<EdgeRequestException>(() => state.PrepareAsync(next, Context(next), Ada, Ct).AsTask());
        Assert.Equal(("previous_response_not_found", "previous_response_id"), (error.Code, error.Param));
    }

    private sealed class MemoryStore : IResponseStore
    {
        public Dictionary<string, StoredResponse> Rows { get; } = [];

        public bool Fail { get; set; }

        public Task<bool> SaveAsync(StoredResponse response, CancellationToken cancellationToken) =>
            Fail ? throw new InvalidOperationException("store down") : Task.FromResult(Rows.TryAdd(response.Id, response));

        public Task<StoredResponse?> GetAsync(string id, string owner, CancellationToken cancellationToken) =>
            Task.FromResult(Rows.TryGetValue(id, out var row) && row.Owner == owner ? row : null);

        public Task<bool> DeleteAsync(string id, string owner, CancellationToken cancellationToken) =>
            Task.FromResult(Rows.TryGetValue(id, out var row) && row.Owner == owner && Rows.Remove(id));

        public Task<string?> GetItemAsync(string itemId, string owner, CancellationToken cancellationToken) =>
            Task.FromResult(Rows.Values.Where(r => r.Owner == owner).SelectMany(r => r.Items).FirstOrDefault(i => i.Id == itemId)?.Json);
    }
}
