using System.Globalization;
using Microsoft.Data.Sqlite;
using Switchboard.Ledger;

namespace Switchboard.Benchmarks.Ledger;

/// <summary>The baseline: SqliteLedgerStore.AppendAsync as it was at 962f39d (a connection per batch, the insert prepared
/// per batch, 22 parameters bound by name from a boxed array, SQLite's default synchronous=FULL).</summary>
internal static class LegacySqliteAppend
{
    private const string Columns = "request_id, attempt_number, ts_ms, key_id, route, task, provider, model, deployment, input_tokens, " +
        "output_tokens, cached_input_tokens, reasoning_tokens, cost_usd, latency_ms, ttft_ms, streamed, cache_hit, cost_saved_usd, " +
        "outcome, error_kind, status_code";

    public static async Task AppendAsync(string connectionString, IReadOnlyList<LedgerRecord> batch, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        using var tx = connection.BeginTransaction(deferred: false);
        await using var cmd = new SqliteCommand(
            $"INSERT INTO ledger_attempts ({Columns}) VALUES ($rid, $an, $ts, $key, $route, $task, $prov, $model, $dep, $in, $out, " +
            "$cached, $reason, $cost, $lat, $ttft, $streamed, $hit, $saved, $outcome, $err, $status) " +
            "ON CONFLICT (request_id, attempt_number) DO NOTHING", connection, tx);
        string[] names = ["$rid", "$an", "$ts", "$key", "$route", "$task", "$prov", "$model", "$dep", "$in", "$out", "$cached", "$reason",
            "$cost", "$lat", "$ttft", "$streamed", "$hit", "$saved", "$outcome", "$err", "$status"];
        foreach (var name in names)
        {
            cmd.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        await cmd.PrepareAsync(cancellationToken);
        foreach (var r in batch)
        {
            object?[] values =
            [
                r.RequestId, r.AttemptNumber, r.Timestamp.ToUnixTimeMilliseconds(), r.KeyId, r.Route, r.Task, r.Provider, r.Model,
                r.Deployment, r.InputTokens, r.OutputTokens, r.CachedInputTokens, r.ReasoningTokens, Money(r.CostUsd),
                r.Latency.TotalMilliseconds, r.TimeToFirstToken?.TotalMilliseconds, r.Streamed ? 1 : 0, r.CacheHit ? 1 : 0,
                Money(r.CostSavedUsd), r.Outcome, r.ErrorKind, r.StatusCode,
            ];
            for (var i = 0; i < values.Length; i++)
            {
                cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
            }

            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>The old journal drain: read up to 4 MB after the checkpoint into a new array, parse up to <paramref name="max"/> lines.</summary>
    public static async Task<(int Records, long End)> ReadPendingAsync(string path, long start, long end, int max, CancellationToken cancellationToken)
    {
        var records = 0;
        var offset = start;
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        reader.Seek(start, SeekOrigin.Begin);
        var buffer = new byte[Math.Min(end - start, 4 << 20)];
        var read = await reader.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        var span = buffer.AsSpan(0, read);
        while (records < max)
        {
            var newline = span.IndexOf((byte)'\n');
            if (newline < 0)
            {
                break;
            }

            _ = System.Text.Json.JsonSerializer.Deserialize(span[..newline], LedgerJsonContext.Default.LedgerRecord);
            records++;
            offset += newline + 1;
            span = span[(newline + 1)..];
        }

        return (records, offset);
    }

    private static string? Money(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);
}
