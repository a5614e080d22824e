using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
using Switchboard.Gateway.Auth;
using Switchboard.Gateway.Dashboard;
using Switchboard.Gateway.Edges.Responses.Storage;
using Switchboard.Gateway.Endpoints;
using Switchboard.Gateway.Http;
using Switchboard.Caching;
using Switchboard.Guardrails;
using Switchboard.Hosting;
using Switchboard.Ledger;
using Switchboard.PostgreSql;
using Switchboard.Redis;

namespace Switchboard.Gateway.Hosting;

/// <summary>The gateway's composition root: configuration, services, the pipeline and the endpoints.</summary>
public static partial class GatewayApp
{
    public const string DefaultUrls = "http://127.0.0.1:8080";

    public static async Task<WebApplication> BuildAsync(GatewayStartOptions start, CancellationToken cancellationToken = default)
    {
        if (!start.Warmup)
        {
            return await BuildAsync(start, warming: null, cancellationToken);
        }

        // Alongside reading the configuration and starting the emulator, and over before this gateway's services exist (its
        // meter listeners included), so the warm-up's requests reach none of them.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var warming = Task.Run(() => ProcessWarmup.RunAsync(stop.Token), stop.Token);
        try
        {
            return await BuildAsync(start, warming, cancellationToken);
        }
        catch
        {
            // An invalid configuration: stop warming (and so remove its temporary folder) before saying so.
            await stop.CancelAsync();
            await Task.WhenAny(warming);
            throw;
        }
    }

    private static async Task<WebApplication> BuildAsync(GatewayStartOptions start, Task<WarmupResult>? warming, CancellationToken cancellationToken)
    {
        // No configuration file is reloaded (switchboard.json never was): the host's default reload of appsettings.json
        // watches the whole working directory recursively, and the SQLite ledger and its journal live there by default, so
        // every ledger write woke a watcher thread. A later --hostBuilder:reloadConfigOnChange=true still wins.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false", .. start.Args] });
        var configFile = start.ConfigFile ?? Path.Combine(Directory.GetCurrentDirectory(), "switchboard.json");
        builder.Configuration
            .AddJsonFile(Path.GetFullPath(configFile), optional: start.ConfigFile is null, reloadOnChange: false)
            .AddEnvironmentVariables()
            .AddCommandLine(start.Args);
        if (start.Overrides is { } overrides)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        EmulatedProviders? emulated = null;
        if (!EmulatedProviders.AnyConfigured(builder.Configuration))
        {
            (emulated, var entries) = await EmulatedProviders.StartAsync(cancellationToken);
            builder.Configuration.AddInMemoryCollection(entries);
            builder.Services.AddSingleton(emulated);
        }

        var urls = start.Urls ?? builder.Configuration["urls"] ?? DefaultUrls;
        builder.WebHost.UseUrls(urls);
        // Per-request framework logs are noise at this volume; Switchboard logs one line per request itself.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        if (builder.Configuration["Logging:Console:FormatterName"] is { Length: > 0 } formatter)
        {
            // The slim builder configures the simple formatter after binding "Logging:Console"; the configured one wins.
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = formatter);
        }

        start.Logging?.Invoke(builder.Logging);

        var gateway = builder.Configuration.GetSection("Switchboard:Gateway").Get<GatewayOptions>() ?? new GatewayOptions();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = gateway.MaxRequestBytes + 1);
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(gateway.DrainTimeoutSeconds));
        ConfigureServices(builder, configFile);
        builder.Services.AddGatewayCors(gateway);
        start.Services?.Invoke(builder.Services);
        builder.Services.RedactAllLoggerProviders(builder.Configuration);

        var warmup = warming is null ? null : await warming;
        var app = builder.Build();
        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        // A fast refusal before binding anything; LocalModeGuard decides from the addresses actually bound.
        if (string.IsNullOrEmpty(auth.MasterKey) && !IsLoopbackOnly(urls))
        {
            throw new OptionsValidationException("Switchboard:Auth:MasterKey", typeof(AuthOptions),
                [$"Switchboard:Auth:MasterKey is required when the gateway listens beyond loopback ({urls})."]);
        }

        Configure(app, gateway, emulated is not null);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Switchboard.Gateway");
        warmup?.Log(logger);
        if (emulated is not null)
        {
            LogEmulated(logger, emulated.Host.BaseUrl.ToString());
            app.Lifetime.ApplicationStopped.Register(() => emulated.DisposeAsync().AsTask().GetAwaiter().GetResult());
        }

        return app;
    }

    private static void ConfigureServices(WebApplicationBuilder builder, string configFile)
    {
        var services = builder.Services;
        // The whole pipeline (ledger, caller policy, budgets, guardrails, cache, router): the gateway is its HTTP edge.
        services.AddSwitchboard(builder.Configuration);
        services.AddSwitchboardRedis(builder.Configuration);
        services.AddSwitchboardPostgreSql(builder.Configuration);
        services.AddOptions<GatewayOptions>().Bind(builder.Configuration.GetSection("Switchboard:Gateway")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AuthOptions>().Bind(builder.Configuration.GetSection("Switchboard:Auth"));
        var connectionString = StoreConnectionString(builder.Configuration, configFile);
        if (string.IsNullOrEmpty(builder.Configuration["Switchboard:Ledger:ConnectionString"]) &&
            string.Equals(builder.Configuration["Switchboard:Ledger:Provider"] ?? "sqlite", "sqlite", StringComparison.OrdinalIgnoreCase))
        {
            // The ledger defaults to the same SQLite file as the keys, beside the configuration file.
            builder.Configuration.AddInMemoryCollection([new("Switchboard:Ledger:ConnectionString", connectionString)]);
        }

        // Keys live in the ledger's database: PostgreSQL when the ledger is there (shared by replicas), else the SQLite file.
        services.AddSingleton<IKeyStore>(sp => sp.GetService<IPostgresDatabase>() is { } postgres
            ? new PostgresKeyStore(postgres, sp.GetRequiredService<TimeProvider>())
            : new SqliteKeyStore(connectionString, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<Authenticator>();
        services.AddSingleton<LocalModeGuard>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalModeGuard>());
        services.AddSingleton<ChatHandler>();
        services.AddSingleton<TokenCountHandler>();
        services.AddResponsesEdge(builder.Configuration, connectionString); // Switchboard:Responses, stored in the ledger's database
        services.AddDashboard();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, GatewayJsonContext.Default));
        services.AddOpenApi();
        services.AddReadinessChecks();
        services.AddGatewayTelemetry(builder.Configuration);
    }

    /// <summary>
    /// The SQLite database of keys (and of the ledger when it is on SQLite): <c>Switchboard:Ledger:ConnectionString</c>
    /// when the ledger is on SQLite, else <c>switchboard.db</c> beside the configuration file.
    /// </summary>
    public static string StoreConnectionString(IConfiguration configuration, string? configFile)
    {
        var store = configuration.GetSection("Switchboard:Ledger").Get<StoreOptions>() ?? new StoreOptions();
        var folder = Path.GetDirectoryName(Path.GetFullPath(configFile ?? "switchboard.json")) ?? ".";
        var sqlite = string.Equals(store.Provider, "sqlite", StringComparison.OrdinalIgnoreCase);
        return sqlite && store.ConnectionString is { Length: > 0 } configured
            ? configured
            : $"Data Source={Path.Combine(folder, "switchboard.db")}";
    }

    private static void Configure(WebApplication app, GatewayOptions gateway, bool emulated)
    {
        var localMode = app.Services.GetRequiredService<LocalModeGuard>();
        app.Use(BasePathAliases.RewriteAsync);
        app.UseRouting(); // after the rewrite, so a base URL written without (or with a doubled) /v1 reaches its endpoint
        app.Use(async (http, next) =>
        {
            if (!localMode.Open)
            {
                // A keyless gateway whose bound addresses are not verified loopback yet serves nothing.
                http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            var incoming = http.Request.Headers[RoutingHeaders.RequestId].ToString();
            var requestId = incoming.Length is > 0 and <= 128 ? incoming : Switchboard.Chat.RequestIds.New();
            http.Items[RoutingHeaders.RequestId] = requestId;
            http.Response.Headers[RoutingHeaders.RequestId] = requestId;
            if (emulated)
            {
                http.Response.Headers[RoutingHeaders.Emulated] = "true";
            }

            await next(http);
        });
        app.UseGatewayCors(gateway);
        app.MapChatEndpoints();
        app.MapModelsEndpoint();
        app.MapGeminiEndpoints();
        app.MapAdminEndpoints();
        app.MapOperationsEndpoints();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapScalarApiReference("/docs");
        app.MapDashboard();
        app.MapNotFoundFallback();
        // Make sure the store and the router are built (and validated) before the first request.
        _ = app.Services.GetRequiredService<IKeyStore>();
        _ = app.Services.GetRequiredService<Switchboard.Routing.RouterChatClient>();
        _ = app.Services.GetRequiredService<Switchboard.Telemetry.SwitchboardGauges>();
    }

    internal static bool IsLoopbackOnly(string urls) =>
        urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(url =>
        {
            var host = url.Replace("://*", "://wildcard", StringComparison.Ordinal).Replace("://+", "://wildcard", StringComparison.Ordinal);
            return Uri.TryCreate(host, UriKind.Absolute, out var uri) &&
                (uri.IsLoopback || uri.Host is "localhost" or "127.0.0.1" or "[::1]");
        });

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning,
        Message = "NO PROVIDER KEY CONFIGURED: every answer comes from the built-in EMULATOR at {Url}, not from a real model. Set OPENAI_API_KEY, ANTHROPIC_API_KEY or GEMINI_API_KEY (or Switchboard:Providers) to route to real providers. Responses carry x-switchboard-emulated: true.")]
    private static partial void LogEmulated(ILogger logger, string url);

}
