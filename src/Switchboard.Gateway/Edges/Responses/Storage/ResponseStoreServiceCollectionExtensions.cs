using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Gateway.Hosting;
using Switchboard.Gateway.Http;

namespace Switchboard.Gateway.Edges.Responses.Storage;

/// <summary>Registers the Responses edge with its stored responses (<c>Switchboard:Responses</c>).</summary>
internal static class ResponseStoreServiceCollectionExtensions
{
    /// <summary>
    /// The store lives in the ledger's database: PostgreSQL when <c>Switchboard:Ledger:Provider</c> is <c>postgres</c> (its
    /// connection string, shared by replicas), else the gateway's SQLite file (<paramref name="sqliteConnectionString"/>).
    /// </summary>
    public static IServiceCollection AddResponsesEdge(this IServiceCollection services, IConfiguration configuration, string sqliteConnectionString)
    {
        services.AddOptions<ResponseStoreOptions>().Bind(configuration.GetSection("Switchboard:Responses")).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IResponseStore>(sp =>
        {
            var ledger = configuration.GetSection("Switchboard:Ledger").Get<StoreOptions>() ?? new StoreOptions();
            var time = sp.GetRequiredService<TimeProvider>();
            return string.Equals(ledger.Provider, "postgres", StringComparison.OrdinalIgnoreCase)
                ? new PostgresResponseStore(ledger.ConnectionString
                    ?? throw new OptionsValidationException("Switchboard:Ledger:ConnectionString", typeof(StoreOptions),
                        ["Switchboard:Ledger:ConnectionString is required when Switchboard:Ledger:Provider is postgres."]), time)
                : new SqliteResponseStore(sqliteConnectionString, time);
        });
        services.AddSingleton(sp => new ResponsesState(sp.GetRequiredService<IResponseStore>(), sp.GetRequiredService<IOptions<ResponseStoreOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ResponsesState>>()));
        services.AddSingleton<ResponsesProtocol>();
        services.AddSingleton<ResponsesCompactProtocol>();
        services.AddSingleton<StoredResponsesHandler>();
        return services;
    }
}
