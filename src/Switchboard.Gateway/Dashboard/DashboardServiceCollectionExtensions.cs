using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchboard.Chat;

namespace Switchboard.Gateway.Dashboard;

/// <summary>Registers what the dashboard's admin data needs beyond the ledger: the circuit change log.</summary>
internal static class DashboardServiceCollectionExtensions
{
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.TryAddSingleton<CircuitChanges>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAttemptObserver, CircuitChanges>(sp => sp.GetRequiredService<CircuitChanges>()));
        return services;
    }
}
