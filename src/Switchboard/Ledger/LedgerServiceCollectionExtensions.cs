using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Chat;

namespace Switchboard.Ledger;

/// <summary>Registers the ledger (store, journal, writer) from <c>Switchboard:Ledger</c>.</summary>
public static class LedgerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the ledger store (SQLite unless a package such as <c>Switchboard.PostgreSql</c> registered another), its journal and
    /// the <see cref="LedgerWriter"/> (also as an <see cref="IAttemptObserver"/>). Options are validated at start-up.
    /// </summary>
    /// <remarks>The host must run <see cref="LedgerWriter.StartAsync"/> / <see cref="LedgerWriter.StopAsync"/> (as a hosted service).</remarks>
    public static IServiceCollection AddSwitchboardLedger(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(LedgerWriter)))
        {
            return services; // registered already (AddSwitchboard registers it): twice would record every attempt twice
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<LedgerOptions>().Bind(configuration.GetSection("Switchboard:Ledger")).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LedgerOptions>, LedgerOptionsValidator>());

        // SQLite is the embedded default; Switchboard.PostgreSql's AddSwitchboardPostgreSql registers its own store.
        services.TryAddSingleton<ILedgerStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<LedgerOptions>>().Value;
            return new SqliteLedgerStore(options.EffectiveConnectionString, sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton<IBudgetAlertStore>(sp => (IBudgetAlertStore)sp.GetRequiredService<ILedgerStore>());
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<LedgerOptions>>().Value;
            return new LedgerJournal(options.EffectiveJournalPath, sp.GetRequiredService<ILogger<LedgerJournal>>(),
                fsync: string.Equals(options.Durability, LedgerDurability.Fsync, StringComparison.OrdinalIgnoreCase),
                options.JournalMaxBytes, sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton<LedgerWriter>();
        services.AddSingleton<IAttemptObserver>(sp => sp.GetRequiredService<LedgerWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<LedgerWriter>());
        return services;
    }
}
