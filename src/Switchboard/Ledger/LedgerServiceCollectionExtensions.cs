using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Budgets;
using Switchboard.Chat;

namespace Switchboard.Ledger;

/// <summary>Registers the ledger (store, journal, writer) and budgets (manager, alerter) from <c>Switchboard:Ledger</c> and <c>Switchboard:Budgets</c>.</summary>
public static class LedgerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the ledger store chosen by <c>Switchboard:Ledger:Provider</c>, its journal, the <see cref="LedgerWriter"/> (also as an
    /// <see cref="IAttemptObserver"/>), the <see cref="BudgetManager"/> and the <see cref="CostAlerter"/>. Options are validated at start-up.
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
        services.AddOptions<BudgetOptions>().Configure(o => configuration.GetSection("Switchboard:Budgets").Bind(o.Budgets)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BudgetOptions>, BudgetOptionsValidator>());

        services.TryAddSingleton<ILedgerStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<LedgerOptions>>().Value;
            var time = sp.GetRequiredService<TimeProvider>();
            return options.IsPostgres
                ? new PostgresLedgerStore(options.ConnectionString!, time)
                : new SqliteLedgerStore(options.EffectiveConnectionString, time);
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

        services.AddHttpClient(CostAlerter.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.TryAddSingleton(sp => new CostAlerter(sp.GetService<IBudgetAlertStore>(), sp.GetService<IHttpClientFactory>(),
            sp.GetRequiredService<IOptions<BudgetOptions>>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CostAlerter>>()));
        services.TryAddSingleton<BudgetManager>();
        return services;
    }
}
