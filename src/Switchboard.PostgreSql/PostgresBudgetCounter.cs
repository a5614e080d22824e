using System.Collections.Concurrent;
using Npgsql;
using Switchboard.Ledger;

using Switchboard.Budgets;

namespace Switchboard.PostgreSql;

/// <summary>
/// Budgets counted in PostgreSQL, so every gateway replica enforces the same budget: a row per budget window with its
/// spend (<c>budget_counters</c>, seeded from the ledger when the window is first used) and a row per hold
/// (<c>budget_holds</c>). A hold locks the window's counter row (<c>FOR UPDATE</c>), so replicas reserve one at a time.
/// Holds expire after <see cref="BudgetOptions.HoldTimeout"/>, so a replica that dies mid-request does not keep its
/// worst case held for the rest of the window.
/// </summary>
internal sealed class PostgresBudgetCounter(PostgresLedgerStore ledger, TimeProvider time, TimeSpan holdTimeout) : IBudgetCounter
{
    private readonly ConcurrentDictionary<(string, DateTimeOffset), Lazy<Task>> _seeded = new();

    public async Task<BudgetHold> HoldAsync(BudgetDefinition budget, DateTimeOffset windowStart, decimal amountUsd, CancellationToken cancellationToken)
    {
        try
        {
            await SeedAsync(budget, windowStart, cancellationToken);
            var now = time.GetUtcNow();
            await using var connection = await ledger.DataSource.OpenConnectionAsync(cancellationToken);
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            var spent = await ScalarAsync(connection, tx,
                "SELECT spent_usd FROM budget_counters WHERE budget_name = @n AND window_start = @w FOR UPDATE", budget, windowStart, now, cancellationToken);
            await using (var expire = Command(connection, tx,
                "DELETE FROM budget_holds WHERE budget_name = @n AND window_start = @w AND expires_at <= @now", budget, windowStart, now))
            {
                await expire.ExecuteNonQueryAsync(cancellationToken);
            }

            var held = await ScalarAsync(connection, tx,
                "SELECT COALESCE(SUM(amount_usd), 0) FROM budget_holds WHERE budget_name = @n AND window_start = @w", budget, windowStart, now, cancellationToken);
            if (spent + held + amountUsd > budget.LimitUsd)
            {
                throw new BudgetExceededException(budget.Name, budget.LimitUsd, spent + held);
            }

            var hold = new BudgetHold(budget, windowStart, amountUsd, Guid.NewGuid());
            await using (var insert = Command(connection, tx,
                "INSERT INTO budget_holds (id, budget_name, window_start, amount_usd, expires_at) VALUES (@id, @n, @w, @a, @exp)", budget, windowStart, now))
            {
                insert.Parameters.AddWithValue("id", hold.Id);
                insert.Parameters.AddWithValue("a", amountUsd);
                insert.Parameters.AddWithValue("exp", now + holdTimeout);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await tx.CommitAsync(cancellationToken);
            return hold;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw new BudgetUnavailableException($"The counter of budget '{budget.Name}' could not be reached.", ex);
        }
    }

    public async Task<decimal> SettleAsync(BudgetHold hold, decimal actualUsd)
    {
        await using var connection = await ledger.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var now = time.GetUtcNow();
        await using (var release = Command(connection, tx, "DELETE FROM budget_holds WHERE id = @id", hold.Budget, hold.WindowStart, now))
        {
            release.Parameters.AddWithValue("id", hold.Id);
            await release.ExecuteNonQueryAsync();
        }

        decimal spent;
        await using (var add = Command(connection, tx,
            "UPDATE budget_counters SET spent_usd = spent_usd + @a WHERE budget_name = @n AND window_start = @w RETURNING spent_usd",
            hold.Budget, hold.WindowStart, now))
        {
            add.Parameters.AddWithValue("a", actualUsd);
            spent = (decimal)(await add.ExecuteScalarAsync() ?? 0m);
        }

        await tx.CommitAsync();
        return spent;
    }

    public async Task<(decimal Spent, decimal Held)> ReadAsync(BudgetDefinition budget, DateTimeOffset windowStart, CancellationToken cancellationToken)
    {
        await SeedAsync(budget, windowStart, cancellationToken);
        await using var connection = await ledger.DataSource.OpenConnectionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var spent = await ScalarAsync(connection, null,
            "SELECT spent_usd FROM budget_counters WHERE budget_name = @n AND window_start = @w", budget, windowStart, now, cancellationToken);
        var held = await ScalarAsync(connection, null,
            "SELECT COALESCE(SUM(amount_usd), 0) FROM budget_holds WHERE budget_name = @n AND window_start = @w AND expires_at > @now",
            budget, windowStart, now, cancellationToken);
        return (spent, held);
    }

    /// <summary>Creates the window's counter from the ledger's spend the first time any replica uses the window. Callers in
    /// this process share one seeding; a failed one is tried again by the next caller.</summary>
    private async Task SeedAsync(BudgetDefinition budget, DateTimeOffset windowStart, CancellationToken cancellationToken)
    {
        var key = (budget.Name, windowStart);
        var seeding = _seeded.GetOrAdd(key, _ => new Lazy<Task>(() => SeedOnceAsync(budget, windowStart)));
        try
        {
            await seeding.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (seeding.Value.IsFaulted)
        {
            _seeded.TryRemove(new KeyValuePair<(string, DateTimeOffset), Lazy<Task>>(key, seeding));
            throw;
        }
    }

    private async Task SeedOnceAsync(BudgetDefinition budget, DateTimeOffset windowStart)
    {
        await ledger.InitializeAsync(CancellationToken.None);
        await using (var exists = ledger.DataSource.CreateCommand("SELECT 1 FROM budget_counters WHERE budget_name = @n AND window_start = @w"))
        {
            exists.Parameters.AddWithValue("n", budget.Name);
            exists.Parameters.AddWithValue("w", windowStart);
            if (await exists.ExecuteScalarAsync() is not null)
            {
                return;
            }
        }

        var spent = await ledger.SpentAsync(budget.ToScope(), windowStart, CancellationToken.None);
        await using var seed = ledger.DataSource.CreateCommand(
            "INSERT INTO budget_counters (budget_name, window_start, spent_usd) VALUES (@n, @w, @s) ON CONFLICT DO NOTHING");
        seed.Parameters.AddWithValue("n", budget.Name);
        seed.Parameters.AddWithValue("w", windowStart);
        seed.Parameters.AddWithValue("s", spent);
        await seed.ExecuteNonQueryAsync();
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, BudgetDefinition budget,
        DateTimeOffset windowStart, DateTimeOffset now)
    {
        var command = new NpgsqlCommand(sql, connection, tx);
        command.Parameters.AddWithValue("n", budget.Name);
        command.Parameters.AddWithValue("w", windowStart);
        if (sql.Contains("@now", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("now", now);
        }

        return command;
    }

    private static async Task<decimal> ScalarAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, BudgetDefinition budget,
        DateTimeOffset windowStart, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, tx, sql, budget, windowStart, now);
        return (decimal)(await command.ExecuteScalarAsync(cancellationToken) ?? 0m);
    }
}
