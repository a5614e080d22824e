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
    }
}
