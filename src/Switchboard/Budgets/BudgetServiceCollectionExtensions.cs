using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Ledger;

namespace Switchboard.Budgets;

/// <summary>Registers budgets (manager, counter, alerter) from <c>Switchboard:Budgets</c>.</summary>
public static class BudgetServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="BudgetManager"/>, the <see cref="CostAlerter"/> and the in-process <see cref="IBudgetCounter"/> over the
    /// ledger store (right when one process writes the store; <c>Switchboard.PostgreSql</c> registers a counter shared by replicas).
    /// </summary>
    public static IServiceCollection AddSwitchboardBudgets(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<BudgetOptions>().Configure(o => configuration.GetSection("Switchboard:Budgets").Bind(o.Budgets)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BudgetOptions>, BudgetOptionsValidator>());
        services.TryAddSingleton<IBudgetCounter>(sp => new InProcessBudgetCounter(sp.GetRequiredService<ILedgerStore>()));
        services.AddHttpClient(CostAlerter.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.TryAddSingleton(sp => new CostAlerter(sp.GetService<IBudgetAlertStore>(), sp.GetService<IHttpClientFactory>(),
            sp.GetRequiredService<IOptions<BudgetOptions>>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CostAlerter>>()));
        services.TryAddSingleton<BudgetManager>();
        return services;
    }
}
