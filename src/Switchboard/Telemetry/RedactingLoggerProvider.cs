using Microsoft.Extensions.Logging;
using Switchboard.Chat;

namespace Switchboard.Telemetry;

/// <summary>
/// Wraps a logger provider so that no secret reaches its sink: every message, every structured value and every
/// exception text passes through <see cref="SecretScrubber"/> with the configured secrets (provider keys, the master
/// key) and the key shapes it knows (provider keys, Switchboard virtual keys, bearer tokens), whatever the level.
/// </summary>
public sealed class RedactingLoggerProvider(ILoggerProvider inner, Func<IReadOnlyList<string>> secrets) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName), secrets);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        if (inner is ISupportExternalScope scoped)
        {
            scoped.SetScopeProvider(scopeProvider);
        }
    }

    public void Dispose() => inner.Dispose();

    private sealed class RedactingLogger(ILogger inner, Func<IReadOnlyList<string>> secrets) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            var known = secrets();
            var message = Scrub(formatter(state, exception), known);
            var values = new List<KeyValuePair<string, object?>>();
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    // The template too: a message logged without placeholders carries its text there.
                    values.Add(new(key, value is null or bool or int or long or double or decimal
                        ? value
                        : Scrub(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), known)));
                }
            }

            var redactedException = exception is null ? null : new RedactedException(exception, known);
            inner.Log(logLevel, eventId, new RedactedState(message, values), redactedException, static (s, _) => s.Message);
        }

        // One pass of the key-shape regex after every known secret is replaced (not one pass per secret).
        private static string Scrub(string? text, IReadOnlyList<string> known) =>
            known is string[] array ? SecretScrubber.Scrub(text, array) : SecretScrubber.Scrub(text, [.. known]);

        /// <summary>Structured values with secrets removed; formats as the redacted message.</summary>
        private sealed class RedactedState(string message, List<KeyValuePair<string, object?>> values) : IReadOnlyList<KeyValuePair<string, object?>>
        {
            public string Message => message;
            public int Count => values.Count;
            public KeyValuePair<string, object?> this[int index] => values[index];
            public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();
            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
            public override string ToString() => message;
        }

        /// <summary>An exception whose text (message, inner exceptions, stack) has secrets removed.</summary>
        private sealed class RedactedException(Exception original, IReadOnlyList<string> known)
            : Exception(Scrub(original.Message, known))
        {
            private readonly string _text = Scrub(original.ToString(), known);

            public override string? StackTrace => null;

            public override string ToString() => _text;
        }
    }
}
