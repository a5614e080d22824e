using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Gateway.Hosting;
using Switchboard.Ledger;
using Switchboard.PostgreSql;

namespace Switchboard.Cli.Commands;

/// <summary>The configuration and ledger the CLI verbs share with the gateway: same file, same variables, same store.</summary>
internal static class CliConfiguration
{
    /// <summary>
    /// <c>switchboard.json</c> (or <paramref name="configFile"/>) then environment variables; when the ledger is on SQLite
    /// without a connection string, it points at the gateway's default file (<see cref="GatewayApp.StoreConnectionString"/>).
    /// </summary>
    public static ConfigurationManager Load(string? configFile)
    {
        var configuration = new ConfigurationManager();
        configuration.AddJsonFile(Path.GetFullPath(configFile ?? "switchboard.json"), optional: configFile is null).AddEnvironmentVariables();
        if (string.IsNullOrEmpty(configuration["Switchboard:Ledger:ConnectionString"]) &&
            string.Equals(configuration["Switchboard:Ledger:Provider"] ?? LedgerProviders.Sqlite, LedgerProviders.Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            configuration.AddInMemoryCollection([new("Switchboard:Ledger:ConnectionString", GatewayApp.StoreConnectionString(configuration, configFile))]);
        }

        return configuration;
    }

    /// <summary>
    /// Registers the ledger as the gateway does, except that the CLI journals into its own file beside the gateway's
    /// (<c>switchboard-ledger-cli.journal</c>), so a running gateway and a CLI call never write one journal from two processes.
    /// </summary>
    public static IServiceCollection AddCliLedger(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSwitchboardLedger(configuration);
        services.AddSwitchboardPostgreSql(configuration);
        services.PostConfigure<LedgerOptions>(o =>
        {
            var journal = o.EffectiveJournalPath;
            o.JournalPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(journal)) ?? ".",
                Path.GetFileNameWithoutExtension(journal) + "-cli" + Path.GetExtension(journal));
        });
        return services;
    }
}
