using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Switchboard.IntegrationTests.Ledger;

/// <summary>A request whose response the client received completely.</summary>
internal sealed record CompletedRequest(string RequestId, bool Streamed, decimal? CostUsd);

/// <summary>
/// Concurrent clients sending bounded numbers of OpenAI chat requests (every third one streamed) to a gateway, each with
/// its own <c>x-request-id</c>, recording which responses arrived completely: a 200 with the whole JSON body, or a
/// stream that reached <c>data: [DONE]</c>.
/// </summary>
internal sealed class LedgerLoad(Uri baseUrl, string tag)
{
    public ConcurrentDictionary<string, CompletedRequest> Completed { get; } = new(StringComparer.Ordinal);

    /// <summary>Requests that did not complete: connection refused or cut, timeouts, non-200 answers.</summary>
    public ConcurrentQueue<string> Failures { get; } = new();

    public int Sent => Volatile.Read(ref _sent);

    private int _sent;

    /// <summary>Runs <paramref name="clients"/> clients of up to <paramref name="perClient"/> requests each; with
    /// <paramref name="stopAtFailure"/> a client stops at its first failure (the gateway is gone).</summary>
    public Task RunAsync(int clients, int perClient, bool stopAtFailure, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => ClientAsync(c, perClient, stopAtFailure, cancellationToken), cancellationToken)));

    /// <summary>Keeps sending until <paramref name="until"/> completes (bounded by <paramref name="max"/> requests per client).</summary>
    public Task RunUntilAsync(int clients, int max, Task until, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (var i = 0; i < max && !until.IsCompleted; i++)
            {
                await SendOneAsync(c, i, cancellationToken);
            }
        }, cancellationToken)));

    private async Task ClientAsync(int client, int perClient, bool stopAtFailure, CancellationToken cancellationToken)
    {
        for (var i = 0; i < perClient; i++)
        {
            if (!await SendOneAsync(client, i, cancellationToken) && stopAtFailure)
            {
                return;
            }
        }
    }

    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    private async Task<bool> SendOneAsync(int client, int index, CancellationToken cancellationToken)
    {
        var id = $"{tag}-{client}-{index}-{Guid.NewGuid():N}";
        var stream = index % 3 == 2;
        // A distinct prompt per request, so the response cache never answers and every request reaches the ledger as a provider call.
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = "fast",
            ["stream"] = stream,
            ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = $"load {id}" } },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "v1/chat/completions"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-request-id", id);
        Interlocked.Increment(ref _sent);
        try
        {
            using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var echoed = response.Headers.TryGetValues("x-request-id", out var values) ? values.FirstOrDefault() : null;
            var complete = response.IsSuccessStatusCode && echoed == id &&
                (stream ? text.Contains("data: [DONE]", StringComparison.Ordinal) : IsChatCompletion(text));
            if (!complete)
            {
                Failures.Enqueue($"{id}: {(int)response.StatusCode} {text[..Math.Min(text.Length, 200)]}");
                return false;
            }

            var cost = response.Headers.TryGetValues("x-switchboard-cost-usd", out var c) && !stream
                ? decimal.Parse(c.First(), CultureInfo.InvariantCulture)
                : (decimal?)null;
            Completed[id] = new CompletedRequest(id, stream, cost);
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Failures.Enqueue($"{id}: {ex.GetType().Name} {ex.Message}");
            return false;
        }
    }

    private static bool IsChatCompletion(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.TryGetProperty("choices", out var choices) && choices.GetArrayLength() > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Request id → the sum of its attempts' costs, as stored in a SQLite ledger file (read without keeping it open).</summary>
    public static async Task<Dictionary<string, decimal>> SqliteLedgerAsync(string file, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, decimal>(StringComparer.Ordinal);
        if (!File.Exists(file))
        {
            return rows;
        }

        await using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        await connection.OpenAsync(cancellationToken);
        await using var exists = new SqliteCommand("SELECT count(*) FROM sqlite_master WHERE name = 'ledger_attempts'", connection);
        if ((long)(await exists.ExecuteScalarAsync(cancellationToken))! == 0)
        {
            return rows;
        }

        await using var cmd = new SqliteCommand("SELECT request_id, cost_usd FROM ledger_attempts", connection);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var cost = reader.IsDBNull(1) ? 0m : decimal.Parse(reader.GetString(1), CultureInfo.InvariantCulture);
            rows[reader.GetString(0)] = rows.GetValueOrDefault(reader.GetString(0)) + cost;
        }

        return rows;
    }
}
