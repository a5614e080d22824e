using Npgsql;
using Switchboard.Gateway.Edges.Responses.Storage;
using Switchboard.IntegrationTests.Ledger;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>
/// The PostgreSQL response store on a real server (<c>SWITCHBOARD_TEST_POSTGRES</c>), in its own database: replicas
/// migrate once, ownership, no overwrite, expiry, the item index; and a gateway whose ledger is on PostgreSQL stores,
/// chains and resolves item_reference there.
/// </summary>
[Collection(PostgresServerCollection.Name)]
public sealed class ResponsesStorePostgresTests
{
    private static StoredResponse Sample(string id, string owner, DateTimeOffset now, TimeSpan life) =>
        new(id, owner, now, now + life, "gpt-4.1", "completed", 12, null,
            $$"""{"id":"{{id}}","object":"response","output":[]}""", """[{"type":"message","id":"msg_1","role":"user","content":[{"type":"input_text","text":"hi"}]}]""");

    [Fact(Timeout = 60_000)]
    public async Task Replicas_MigrateOnce_ShareRows_OwnerOnly_NoOverwrite_Expiry()
    {
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await PostgresTestServer.CreateDatabaseAsync();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var replicas = Enumerable.Range(0, 3).Select(_ => new PostgresResponseStore(connectionString, time)).ToList();
        try
        {
            // Three replicas' first writes race to create the table.
            var saved = await Task.WhenAll(replicas.Select((r, i) => r.SaveAsync(Sample($"resp_{i}", "key_1", time.GetUtcNow(), TimeSpan.FromDays(1)), ct)));
            Assert.All(saved, Assert.True);

            var read = await replicas[2].GetAsync("resp_0", "key_1", ct);
            Assert.Equal(Sample("resp_0", "key_1", time.GetUtcNow(), TimeSpan.FromDays(1)) with
            {
                CreatedAt = read!.CreatedAt, ExpiresAt = read.ExpiresAt,
            }, read);
            Assert.True((read.CreatedAt - time.GetUtcNow()).Duration() < TimeSpan.FromMilliseconds(1)); // timestamptz keeps microseconds
            Assert.Null(await replicas[1].GetAsync("resp_0", "key_2", ct));
            Assert.False(await replicas[1].DeleteAsync("resp_0", "key_2", ct));
            Assert.False(await replicas[1].SaveAsync(Sample("resp_0", "key_2", time.GetUtcNow(), TimeSpan.FromDays(1)), ct));
            Assert.True(await replicas[1].DeleteAsync("resp_1", "key_1", ct));
            Assert.Null(await replicas[0].GetAsync("resp_1", "key_1", ct));

            time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(11));
            Assert.Null(await replicas[0].GetAsync("resp_2", "key_1", ct));
            await replicas[0].SaveAsync(Sample("resp_new", "key_1", time.GetUtcNow(), TimeSpan.FromDays(1)), ct); // purges lazily
            await using var source = NpgsqlDataSource.Create(connectionString);
            await using var count = source.CreateCommand("SELECT string_agg(id, ',' ORDER BY id) FROM stored_responses");
            Assert.Equal("resp_new", (string?)await count.ExecuteScalarAsync(ct));
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Items_ByOwnerAndId_OneRoundTrip_GoneWithTheirResponse_Purged()
    {
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await PostgresTestServer.CreateDatabaseAsync();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var store = new PostgresResponseStore(connectionString, time);
        StoredResponseItem[] items = [new("msg_in", """{"id":"msg_in","n":1}"""), new("msg_out", """{"id":"msg_out","n":2}""")];
        Assert.True(await store.SaveAsync(Sample("resp_a", "key_1", time.GetUtcNow(), TimeSpan.FromDays(1)) with { Items = items }, ct));
        Assert.True(await store.SaveAsync(Sample("resp_b", "key_1", time.GetUtcNow(), TimeSpan.FromDays(2)) with { Items = [items[0]] }, ct));
        Assert.False(await store.SaveAsync(Sample("resp_a", "key_2", time.GetUtcNow(), TimeSpan.FromDays(1)) with { Items = [new("msg_x", "{}")] }, ct));

        Assert.Equal("""{"id":"msg_out","n":2}""", await store.GetItemAsync("msg_out", "key_1", ct));
        Assert.Null(await store.GetItemAsync("msg_out", "key_2", ct));
        Assert.Null(await store.GetItemAsync("msg_x", "key_2", ct));
        Assert.False(await store.DeleteAsync("resp_a", "key_2", ct));
        Assert.True(await store.DeleteAsync("resp_a", "key_1", ct));
        Assert.Null(await store.GetItemAsync("msg_out", "key_1", ct));
        Assert.Equal("""{"id":"msg_in","n":1}""", await store.GetItemAsync("msg_in", "key_1", ct));

        time.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(11));
        Assert.Null(await store.GetItemAsync("msg_in", "key_1", ct));
        await store.SaveAsync(Sample("resp_new", "key_1", time.GetUtcNow(), TimeSpan.FromDays(1)), ct); // purges lazily
        await using var source = NpgsqlDataSource.Create(connectionString);
        await using var count = source.CreateCommand("SELECT count(*) FROM stored_response_items");
        Assert.Equal(0L, (long)(await count.ExecuteScalarAsync(ct))!);
    }

    [Fact(Timeout = 60_000)]
    public async Task Gateway_LedgerOnPostgres_StoresAndChainsThere()
    {
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await PostgresTestServer.CreateDatabaseAsync();
        await using var fx = await GatewayFixture.StartAsync(config =>
        {
            config["Switchboard:Ledger:Provider"] = "postgres";
            config["Switchboard:Ledger:ConnectionString"] = connectionString;
        });

        using var first = await fx.Http.PostAsync("v1/responses", Json("""{"model":"openai/gpt-4.1","input":"My name is Ada."}"""), ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, first.StatusCode);
        var id = System.Text.Json.JsonDocument.Parse(await first.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("id").GetString();
        using var second = await fx.Http.PostAsync("v1/responses",
            Json($$"""{"model":"openai/gpt-4.1","input":"What is my name?","previous_response_id":"{{id}}"}"""), ct);

        Assert.Equal(System.Net.HttpStatusCode.OK, second.StatusCode);
        var answer = System.Text.Json.JsonDocument.Parse(await second.Content.ReadAsStringAsync(ct)).RootElement;
        Assert.Contains("3 messages", answer.GetRawText(), StringComparison.Ordinal);
        var answerId = answer.GetProperty("output")[0].GetProperty("id").GetString();
        using var referenced = await fx.Http.PostAsync("v1/responses",
            Json($$"""{"model":"openai/gpt-4.1","store":false,"input":[{"type":"item_reference","id":"{{answerId}}"},{"role":"user","content":"ok"}]}"""), ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, referenced.StatusCode);
        Assert.Contains("2 messages", await referenced.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        await using var source = NpgsqlDataSource.Create(connectionString);
        await using var owner = source.CreateCommand($"SELECT owner FROM stored_responses WHERE id = '{id}'");
        Assert.Equal("master", (string?)await owner.ExecuteScalarAsync(ct));
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}
