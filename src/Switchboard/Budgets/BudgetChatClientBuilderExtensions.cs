using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Pricing;
using Switchboard.Routing;

namespace Switchboard.Budgets;

/// <summary>Adds budget enforcement to a chat pipeline.</summary>
public static class BudgetChatClientBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="BudgetChatClient"/> (budgets from <c>Switchboard:Budgets</c>, registered by <c>AddSwitchboard</c>).
    /// Put it outside the cache and the router, so every request they serve was admitted and is settled.
    /// </summary>
    public static ChatClientBuilder UseBudgets(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new BudgetChatClient(inner, services.GetRequiredService<BudgetManager>(),
            services.GetRequiredService<RouteTable>(), services.GetRequiredService<TokenEstimator>()));
    }
}
