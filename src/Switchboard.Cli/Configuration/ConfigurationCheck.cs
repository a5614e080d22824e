using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchboard.Budgets;
using Switchboard.Caching;
using Switchboard.Gateway.Edges.Responses.Storage;
using Switchboard.Gateway.Hosting;
using Switchboard.Guardrails;
using Switchboard.Hosting;
using Switchboard.Ledger;
using Switchboard.PostgreSql;
using Switchboard.Redis;
using Switchboard.Routing;

namespace Switchboard.Cli.Configuration;

/// <summary>
/// What <c>switchboard config check</c> reports: every configuration error the gateway's start-up validation would
/// raise (the same options registrations and <see cref="IValidateOptions{TOptions}"/> validators, every section
/// validated even when an earlier one fails), and the routes the configuration produces. Starts no server.
/// </summary>
internal static class ConfigurationCheck
{
    /// <summary>The providers <c>serve</c> points at its built-in emulator when none is configured.</summary>
    public static readonly string[] EmulatedProviderNames = ["openai", "anthropic", "gemini"];

    /// <param name="configuration">The configuration as <c>serve</c> would load it.</param>
    /// <param name="urls">The addresses <c>serve</c> would listen on (<c>--urls</c>), if given.</param>
    public static ConfigurationReport Run(IConfiguration configuration, string? urls = null)
    {
        var emulated = !EmulatedProviders.AnyConfigured(configuration);
        if (emulated)
        {
            // The same three providers serve would add, with a placeholder address (no emulator is started).
            var layered = new ConfigurationBuilder().AddConfiguration(configuration);
            layered.AddInMemoryCollection(EmulatedProviderNames.SelectMany(p => new KeyValuePair<string, string?>[]
            {
                new($"Switchboard:Providers:{p}:Type", p),
                new($"Switchboard:Providers:{p}:BaseUrl", "http://127.0.0.1/"),
                new($"Switchboard:Providers:{p}:ApiKey", "emulated"),
            }));
            configuration = layered.Build();
        }

        var services = new ServiceCollection();
        services.AddLogging();
        // As GatewayApp registers them: AddSwitchboard registers the whole pipeline's options.
        services.AddSwitchboard(configuration);
        services.AddSwitchboardRedis(configuration);
        services.AddSwitchboardPostgreSql(configuration);
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection("Switchboard:Gateway")).ValidateDataAnnotations();
        services.AddOptions<ResponseStoreOptions>().Bind(configuration.GetSection("Switchboard:Responses")).ValidateDataAnnotations();
        using var provider = services.BuildServiceProvider();

        var errors = new List<string>();
        var switchboard = Validate<SwitchboardOptions>(provider, errors);
        Validate<GuardrailOptions>(provider, errors);
        Validate<CacheOptions>(provider, errors);
        Validate<LedgerOptions>(provider, errors);
        Validate<BudgetOptions>(provider, errors);
        Validate<GatewayOptions>(provider, errors);
        Validate<ResponseStoreOptions>(provider, errors);

        // The gateway's own start-up rule: without a master key it only listens on loopback.
        var listen = urls ?? configuration["urls"] ?? GatewayApp.DefaultUrls;
        if (string.IsNullOrEmpty(configuration["Switchboard:Auth:MasterKey"]) && !GatewayApp.IsLoopbackOnly(listen))
        {
            errors.Add($"Switchboard:Auth:MasterKey is required when the gateway listens beyond loopback ({listen}).");
        }

        IReadOnlyList<Route> routes = [];
        var defaultRoute = switchboard?.Routing.DefaultRoute;
        if (switchboard is not null)
        {
            try
            {
                routes = [.. provider.GetRequiredService<RouteTable>().Routes.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase)];
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or OptionsValidationException)
            {
                errors.Add("Switchboard:Models: " + e.Message);
            }
        }

        // The providers as bound, even when their validation failed.
        var probe = new SwitchboardOptions();
        try
        {
            configuration.GetSection(SwitchboardOptions.SectionName).Bind(probe);
            StandardKeys.Apply(probe, configuration);
        }
        catch (InvalidOperationException)
        {
            // Already reported by Validate<SwitchboardOptions>.
        }

        var providers = probe.Providers.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase).Select(p => $"{p.Key} ({p.Value.ResolveType(p.Key)})").ToList();
        return new ConfigurationReport(errors, routes, defaultRoute, emulated, providers);
    }

    /// <summary>Binds and validates one options class; its failures (or the binder's) are added to <paramref name="errors"/>.</summary>
    private static T? Validate<T>(IServiceProvider provider, List<string> errors)
        where T : class
    {
        try
        {
            return provider.GetRequiredService<IOptions<T>>().Value;
        }
        catch (OptionsValidationException e)
        {
            errors.AddRange(e.Failures);
        }
        catch (InvalidOperationException e)
        {
            // The binder's conversion errors ("Failed to convert configuration value 'x' at 'Switchboard:...'").
            errors.Add(e.Message);
        }

        return null;
    }
}
