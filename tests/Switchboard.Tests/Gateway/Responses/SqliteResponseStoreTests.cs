using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Gateway.Edges.Responses.Storage;

namespace Switchboard.Tests.Gateway.Responses;

/// <summary>The SQLite response store on a real file: ownership, no overwrite, expiry and the lazy purge.</summary>
public sealed class SqliteResponseStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sb-resp-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string ConnectionString => $"Data Source={Path.Combine(_folder, "switchboard.db")};Pooling=false";

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    internal static StoredResponse Sample(string id, string owner, DateTimeOffset now, TimeSpan? life = null) =>
        new(id, owner, now, now + (life ?? TimeSpan.FromDays(30)), "gpt-4.1", "completed", 12, 3,
            $$"""{"id":"{{id}}","object":"response","output":[]}""", """[{"type":"message","id":"msg_1","role":"user","content":[{"type":"input_text","text":"hi"}]}]""");

    [Fact]
    public async Task Save_ThenGet_RoundTripsEveryField()
    {
        var store = new SqliteResponseStore(ConnectionString, _time);
        var saved = Sample("resp_a", "key_1", _time.GetUtcNow());

        Assert.True(await store.SaveAsync(saved, Ct));
        var loaded = await store.GetAsync("resp_a", "key_1", Ct);

        Assert.Equal(saved, loaded);
    }

    [Fact]
    public async Task AnotherOwner_SeesNothing_AndCannotDelete()
    {
        var store = new SqliteResponseStore(ConnectionString, _time);
        await store.SaveAsync(Sample("resp_a", "key_1", _time.GetUtcNow()), Ct);

        Assert.Null(await store.GetAsync("resp_a", "key_2", Ct));
        Assert.False(await store.DeleteAsync("resp_a", "key_2", Ct));
        Assert.NotNull(await store.GetAsync("resp_a", "key_1", Ct));
    }

    [Fact]
    public async Task SameId_NeverOverwritten()
    {
        var store = new SqliteResponseStore(ConnectionString, _time);
        await store.SaveAsync(Sample("resp_a", "key_1", _time.GetUtcNow()), Ct);

        Assert.False(await store.SaveAsync(Sample("resp_a", "key_2", _time.GetUtcNow()) with { Model = "other" }, Ct));

        Assert.Equal("gpt-4.1", (await store.GetAsync("resp_a", "key_1", Ct))!.Model);
        Assert.Null(await store.GetAsync("resp_a", "key_2", Ct));
    }

    [Fact]
    public async Task Delete_RemovesIt()
    {
        var store = new SqliteResponseStore(ConnectionString, _time);
        await store.SaveAsync(Sample("resp_a", "key_1", _time.GetUtcNow()), Ct);

        Assert.True(await store.DeleteAsync("resp_a", "key_1", Ct));

        Assert.Null(await store.GetAsync("resp_a", "key_1", Ct));
        Assert.False(await store.DeleteAsync("resp_a", "key_1", Ct));
    }

    [Fact]
    public async Task Expired_Unreadable_ThenPurgedByALaterWrite()
    {
        var store = new SqliteResponseStore(ConnectionString, _time);
        await store.SaveAsync(Sample("resp_old", "key_1", _time.GetUtcNow(), TimeSpan.FromDays(1)), Ct);

        _time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        Assert.Null(await store.GetAsync("resp_old", "key_1", Ct));
        Assert.Equal(1, await CountAsync());

        _time.Advance(ExpiredRowPurge.Interval);
        await store.SaveAsync(Sample("resp_new", "key_1", _time.GetUtcNow()), Ct);

        Assert.Equal(1, await CountAsync());
        Assert.NotNull(await store.GetAsync("resp_new", "key_1", Ct));
    }

    [Fact]
    public async Task Migration_Idempotent_BesideOtherTables()
    {
        await using (var connection = new SqliteConnection(ConnectionString))
        {
            await connection.OpenAsync(Ct);
            await using var other = connection.CreateCommand();
            other.CommandText = "CREATE TABLE ledger_like (id INTEGER PRIMARY KEY)";
            await other.ExecuteNonQueryAsync(Ct);
        }

        var first = new SqliteResponseStore(ConnectionString, _time);
        await first.SaveAsync(Sample("resp_a", "key_1", _time.GetUtcNow()), Ct);
        var second = new SqliteResponseStore(ConnectionString, _time);

        Assert.NotNull(await second.GetAsync("resp_a", "key_1", Ct));
    }

    [Fact]
    public async Task Items_FoundByIdForTheOwnerOnly_GoneWithTheirResponse_AndWhenExpired()
    {
        var store = new SqliteResponseStore(ConnectionString, _time);
        var items = new[] { new StoredResponseItem("msg_in", """{"id":"msg_in","n":1}"""), new StoredResponseItem("msg_out", """{"id":"msg_out","n":2}""") };
        await store.SaveAsync(Sample("resp_a", "key_1", _time.GetUtcNow(), TimeSpan.FromDays(1)) with { Items = items }, Ct);
        // The same client item id replayed in a later response: both rows kept, either answers.
        await store.SaveAsync(Sample("resp_b", "key_1", _time.GetUtcNow(), TimeSpan.FromDays(2)) with { Items = [items[0]] }, Ct);

        Assert.Equal("""{"id":"msg_out","n":2}""", await store.GetItemAsync("msg_out", "key_1", Ct));
        Assert.Null(await store.GetItemAsync("msg_out", "key_2", Ct));
        Assert.Null(await store.GetItemAsync("msg_nope", "key_1", Ct));

        Assert.True(await store.DeleteAsync("resp_a", "key_1", Ct));
        Assert.Null(await store.GetItemAsync("msg_out", "key_1", Ct));
        Assert.Equal("""{"id":"msg_in","n":1}""", await store.GetItemAsync("msg_in", "key_1", Ct));

        _time.Advance(TimeSpan.FromDays(2) + TimeSpan.FromSeconds(1));
        Assert.Null(await store.GetItemAsync("msg_in", "key_1", Ct));
        _time.Advance(ExpiredRowPurge.Interval);
        await store.SaveAsync(Sample("resp_new", "key_1", _time.GetUtcNow()), Ct);
        Assert.Equal(0, await CountAsync("stored_response_items"));
    }

    [Fact]
    public async Task Items_NotWrittenWhenTheResponseIdExists()
    {
        var store = new SqliteResponseStore(ConnectionString, _time);
        await store.SaveAsync(Sample("resp_a", "key_1", _time.GetUtcNow()), Ct);

        Assert.False(await store.SaveAsync(Sample("resp_a", "key_2", _time.GetUtcNow()) with { Items = [new("msg_x", "{}")] }, Ct));

        Assert.Null(await store.GetItemAsync("msg_x", "key_2", Ct));
    }

    private async Task<long> CountAsync(string table = "stored_responses")
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}
