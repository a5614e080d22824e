using Microsoft.Extensions.Logging;
using Switchboard.Telemetry;

namespace Switchboard.Tests.Telemetry;

public sealed class RedactingLoggerProviderTests
{
    private sealed class Capture : ILoggerProvider, ILogger
    {
        public List<string> Lines { get; } = [];
        public List<Type> States { get; } = [];
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            Lines.Add($"{formatter(state, exception)} | {values} | {exception}");
            States.Add(typeof(TState));
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

    [Fact]
    public void CleanLine_ReachesSinkAsLogged_DirtyLineAsScrubbedCopy()
    {
        var capture = new Capture();
        using var provider = new RedactingLoggerProvider(capture, () => ["custom-provider-secret-123456"]);
        var logger = provider.CreateLogger("test");

        logger.LogInformation("Request {RequestId} route={Route} tokens={Tokens}", "0123abcd", "openai/gpt-4.1-mini", 42L);
        logger.LogInformation("Request {RequestId} route={Route} tokens={Tokens}", "0123abcd", "custom-provider-secret-123456", 42L);

        Assert.Equal("Request 0123abcd route=openai/gpt-4.1-mini tokens=42 | RequestId=0123abcd;Route=openai/gpt-4.1-mini;Tokens=42;{OriginalFormat}=Request {RequestId} route={Route} tokens={Tokens} | ",
            capture.Lines[0]);
        Assert.DoesNotContain("RedactedState", capture.States[0].Name, StringComparison.Ordinal); // the logger's own state, not a copy
        Assert.Equal("Request 0123abcd route=[redacted] tokens=42 | RequestId=0123abcd;Route=[redacted];Tokens=42;{OriginalFormat}=Request {RequestId} route={Route} tokens={Tokens} | ",
            capture.Lines[1]);
        Assert.Contains("RedactedState", capture.States[1].Name, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Request 0123 key=master route=smart provider=openai model=gpt-4.1-mini cost_usd=0.0000692", false)]
    [InlineData("plain text with sk- but nothing after", true)]
    [InlineData("key sk-" + "proj-abcdefghijklmnop1234", true)] // split so the tree holds no key-shaped literal
    [InlineData("google AIzaSyA1234567890abcdefg", true)]
    [InlineData("virtual sb-abcdefghijklmnopqrstuvwxyz0123", true)]
    [InlineData("Authorization: Bearer abcdefghijklmnop", true)]
    [InlineData("authorization: bearer abcdefghijklmnop", true)]
    [InlineData("the configured custom-provider-secret-123456 leaked", true)]
    [InlineData("", false)]
    public void MayHoldSecret_FalseOnlyWhereScrubbingChangesNothing(string text, bool expected)
    {
        string[] known = ["custom-provider-secret-123456"];

        Assert.Equal(expected, RedactingLoggerProvider.MayHoldSecret(text, known));
        if (!expected)
        {
            Assert.Equal(text, Switchboard.Chat.SecretScrubber.Scrub(text, known));
        }
    }
}
