using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

using Switchboard.Chat;

namespace Switchboard.Ledger;

/// <summary>Validates <c>Switchboard:Ledger</c> at start-up, every error at once, each naming its key.</summary>
internal sealed class LedgerOptionsValidator(IEnumerable<SharedStateProvider> packages) : IValidateOptions<LedgerOptions>
{
    public ValidateOptionsResult Validate(string? name, LedgerOptions options)
    {
        const string key = "Switchboard:Ledger";
        var errors = new List<string>();
        if (!string.Equals(options.Provider, LedgerProviders.Sqlite, StringComparison.OrdinalIgnoreCase) && !options.IsPostgres)
        {
            errors.Add($"{key}:Provider: '{options.Provider}' is not one of {LedgerProviders.Sqlite}, {LedgerProviders.Postgres}.");
        }
        else if (options.IsPostgres && !packages.Any(p => p.Name == SharedStateProvider.PostgreSql))
        {
            errors.Add($"{key}:Provider: {LedgerProviders.Postgres} needs the Switchboard.PostgreSql package: add it and call services.AddSwitchboardPostgreSql(configuration).");
        }
        else if (options.IsPostgres && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add($"{key}:ConnectionString: required when Provider is {LedgerProviders.Postgres}.");
        }
        else if (!options.IsPostgres)
        {
            // A PostgreSQL connection string is Switchboard.PostgreSql's to check.
            try
            {
                _ = new SqliteConnectionStringBuilder(options.EffectiveConnectionString).DataSource;
            }
            catch (ArgumentException ex)
            {
                errors.Add($"{key}:ConnectionString: not a valid {options.Provider} connection string ({ex.Message}).");
            }
        }

        if (!string.Equals(options.Durability, LedgerDurability.Process, StringComparison.OrdinalIgnoreCase) &&
            !string.Equals(options.Durability, LedgerDurability.Fsync, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{key}:Durability: '{options.Durability}' is not one of {LedgerDurability.Process}, {LedgerDurability.Fsync}.");
        }

        if (options.BatchSize is < 1 or > 10_000)
        {
            errors.Add($"{key}:BatchSize: must be between 1 and 10000.");
        }

        if (options.FlushIntervalMs is < 1 or > 60_000)
        {
            errors.Add($"{key}:FlushIntervalMs: must be between 1 and 60000.");
        }

        if (options.QueueCapacity < 1)
        {
            errors.Add($"{key}:QueueCapacity: must be at least 1.");
        }

        if (options.MaxRetryDelayMs < 1)
        {
            errors.Add($"{key}:MaxRetryDelayMs: must be at least 1.");
        }

        if (options.JournalMaxBytes < 1 << 16)
        {
            errors.Add($"{key}:JournalMaxBytes: must be at least 65536.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
