using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Ledger;

/// <summary>Adds the ledger to a chat pipeline.</summary>
public static class LedgerChatClientBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="LedgerChatClient"/> (the <see cref="LedgerWriter"/> registered by <c>AddSwitchboard</c>). Put it first,
    /// the outermost layer, so it sees every refusal and holds back the end of every answer until its records are durable.
    /// </summary>
    public static ChatClientBuilder UseLedger(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new LedgerChatClient(inner, services.GetRequiredService<LedgerWriter>(),
            services.GetRequiredService<TimeProvider>()));
    }
}
