using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging;
using Switchboard.Telemetry;

namespace Switchboard.Benchmarks;

/// <summary>
/// The gateway's one log line per request, through the secret-redacting logger wrapper (two configured secrets, as with
/// one provider key and the master key) into a sink that drops it: the cost of redaction alone.
/// </summary>
[MemoryDiagnoser]
public class RequestLogBenchmarks
{
    private ILogger _logger = null!;

    [GlobalSetup]
    public void Setup()
    {
        string[] secrets = ["sk-bench-provider-key-0123456789", "bench-master-key-0123456789"];
        _logger = new RedactingLoggerProvider(new NullSinkProvider(), () => secrets).CreateLogger("Switchboard.Gateway.Http.ChatHandler");
    }

    [Benchmark]
    public void RequestLine() => _logger.LogInformation(
        "Request {RequestId} key={KeyName} route={Route} provider={Provider} model={Model} tokens={InputTokens}/{OutputTokens} cost_usd={CostUsd} latency_ms={LatencyMs:0.0} cache={Cache} attempts={Attempts} stream={Streamed}",
        "0123456789abcdef0123456789abcdef", "bench", "openai/gpt-4.1-mini", "openai", "gpt-4.1-mini", 9L, 41L, 0.0000692m, 1.25, "bypass", 1, false);

    /// <summary>A logger provider whose loggers are enabled at every level and discard what they get.</summary>
    private sealed class NullSinkProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new NullSink();

        public void Dispose()
        {
        }

        private sealed class NullSink : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                _ = formatter(state, exception);
        }
    }
}
