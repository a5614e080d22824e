using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Gateway.Hosting;

namespace Switchboard.Tests.Gateway;

/// <summary>
/// Every logger provider is wrapped so secrets are scrubbed; the wrapping must not hide the provider from the filter rules
/// users write for it (<c>Logging:Console:LogLevel:…</c>, by alias or by type name).
/// </summary>
public sealed class LogRedactionFilterTests
{
    private static ILoggerFactory Build(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddConfiguration(configuration.GetSection("Logging")).AddConsole());
        services.RedactAllLoggerProviders(configuration);
        return services.BuildServiceProvider().GetRequiredService<ILoggerFactory>();
    }

    [Fact]
    public void ConsoleRule_ByAlias_AppliesToTheWrappedConsole()
    {
        using var factory = Build(("Logging:LogLevel:Default", "Information"), ("Logging:Console:LogLevel:Default", "Warning"));

        var logger = factory.CreateLogger("Switchboard.Gateway.Http.ChatHandler");

        Assert.False(logger.IsEnabled(LogLevel.Information));
        Assert.True(logger.IsEnabled(LogLevel.Warning));
    }

    [Fact]
    public void ConsoleRule_ByTypeName_AndByCategory_AppliesToTheWrappedConsole()
    {
        using var factory = Build(("Logging:LogLevel:Default", "Warning"),
            ("Logging:Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider:LogLevel:Switchboard", "Debug"));

        Assert.True(factory.CreateLogger("Switchboard.Routing.RouterChatClient").IsEnabled(LogLevel.Debug));
        Assert.False(factory.CreateLogger("Other").IsEnabled(LogLevel.Information));
    }

    [Fact]
    public void GeneralRules_StillApply()
    {
        using var factory = Build(("Logging:LogLevel:Default", "Error"));

        Assert.False(factory.CreateLogger("Anything").IsEnabled(LogLevel.Warning));
        Assert.True(factory.CreateLogger("Anything").IsEnabled(LogLevel.Error));
    }
}
