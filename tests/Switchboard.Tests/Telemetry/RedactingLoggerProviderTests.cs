using Microsoft.Extensions.Logging;
using Switchboard.Telemetry;

namespace Switchboard.Tests.Telemetry;

public sealed class RedactingLoggerProviderTests
{
    private sealed class Capture : ILoggerProvider, ILogger
    {
        public List<string> Lines { get; } = [];
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            Lines.Add($"{formatter(state, exception)} | {values} | {exception}");
        }

        public void Dispose()
        {
        }
    }

    [Fact]
    public void Secrets_RemovedFromMessageValuesAndExceptions_AtEveryLevel()
    {
        const string configured = "custom-provider-secret-123456";
        var capture = new Capture();
        using var provider = new RedactingLoggerProvider(capture, () => [configured]);
        var logger = provider.CreateLogger("test");

        logger.LogTrace("calling with {Key}", configured);
        logger.LogInformation("header Authorization: Bearer sb-abcdefghijklmnopqrstuvwxyz0123");
        logger.LogError(new InvalidOperationException("upstream said: Incorrect API key provided: sk-" + "proj-abcdefghijklmnop1234"), "failed {Provider}", "openai");

        Assert.Equal(3, capture.Lines.Count);
        Assert.All(capture.Lines, line =>
        {
            Assert.DoesNotContain(configured, line, StringComparison.Ordinal);
            Assert.DoesNotContain("sb-abcdefghijklmnopqrstuvwxyz0123", line, StringComparison.Ordinal);
            Assert.DoesNotContain("sk-" + "proj-abcdefghijklmnop1234", line, StringComparison.Ordinal);
        });
        Assert.Contains("[redacted]", capture.Lines[2], StringComparison.Ordinal);
        Assert.Contains("Provider=openai", capture.Lines[2], StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException", capture.Lines[2], StringComparison.Ordinal);
    }
}
