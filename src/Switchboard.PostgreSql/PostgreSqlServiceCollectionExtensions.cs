using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Switchboard.Budgets;
using Switchboard.Chat;
using Switchboard.Ledger;

namespace Switchboard.PostgreSql;

/// <summary>Registers PostgreSQL as the ledger's store, shared by every replica, with budgets counted in the same database.</summary>
public static class PostgreSqlServiceCollectionExtensions
{
    /// <summary>
    /// When <c>Switchboard:Ledger:Provider</c> is <c>postgres</c>: the <see cref="PostgresLedgerStore"/> (also the
    /// <see cref="IPostgresDatabase"/> other state shares) and the <see cref="PostgresBudgetCounter"/>, so replicas enforce one
    /// budget. Otherwise nothing but the registration mark. Call it beside <c>AddSwitchboard</c>, in either order.
    /// </summary>
    public static IServiceCollection AddSwitchboardPostgreSql(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ImplementationInstance is SharedStateProvider { Name: SharedStateProvider.PostgreSql }))
        {
            return services;
        }

        services.AddSingleton(new SharedStateProvider(SharedStateProvider.PostgreSql));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LedgerOptions>, PostgresConnectionValidator>());
        if (!string.Equals(configuration["Switchboard:Ledger:Provider"], LedgerProviders.Postgres, StringComparison.OrdinalIgnoreCase))
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        // Added, not tried: these replace the core's embedded defaults whichever was registered first.
        services.AddSingleton(sp => new PostgresLedgerStore(sp.GetRequiredService<IOptions<LedgerOptions>>().Value.ConnectionString!,
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ILedgerStore>(sp => sp.GetRequiredService<PostgresLedgerStore>());
        services.AddSingleton<IPostgresDatabase>(sp => sp.GetRequiredService<PostgresLedgerStore>());
        services.AddSingleton<IBudgetCounter>(sp => new PostgresBudgetCounter(sp.GetRequiredService<PostgresLedgerStore>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<BudgetOptions>>().Value.HoldTimeout));
        return services;
    }
}

/// <summary>Start-up check of a PostgreSQL ledger's connection string.</summary>
internal sealed class PostgresConnectionValidator : IValidateOptions<LedgerOptions>
{
    public ValidateOptionsResult Validate(string? name, LedgerOptions options)
    {
        if (!string.Equals(options.Provider, LedgerProviders.Postgres, StringComparison.OrdinalIgnoreCase) || string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(options.ConnectionString).Host;
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"Switchboard:Ledger:ConnectionString: not a valid postgres connection string ({ex.Message}).");
        }
    }
}
