using System.Buffers;
using Microsoft.Extensions.Logging;
using Switchboard.Chat;

namespace Switchboard.Telemetry;

/// <summary>
/// Wraps a logger provider so that no secret reaches its sink: every message, every structured value and every
/// exception text passes through <see cref="SecretScrubber"/> with the configured secrets (provider keys, the master
/// key) and the key shapes it knows (provider keys, Switchboard virtual keys, bearer tokens), whatever the level. A line
/// whose message and values hold neither (the common case, found with one vectorised search) reaches the sink as it was
/// logged, with the message formatted once; only a line that may hold a secret is copied and scrubbed.
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

    // Every alternative of SecretScrubber's key-shape pattern contains one of these (sk-, AIza, sb-, [Bb]earer): text
    // with none of them and no configured secret cannot match, so the regex is skipped.
    private static readonly SearchValues<string> KeyShapeLiterals =
        SearchValues.Create(["sk-", "AIza", "sb-", "earer"], StringComparison.Ordinal);

    /// <summary>
    /// Whether <see cref="SecretScrubber"/> could change <paramref name="text"/>: it contains a configured secret or one of
    /// the literals every key shape contains. False means scrubbing would return the text unchanged.
    /// </summary>
    internal static bool MayHoldSecret(string text, IReadOnlyList<string> known)
    {
        if (text.AsSpan().IndexOfAny(KeyShapeLiterals) >= 0)
        {
            return true;
        }

        for (var i = 0; i < known.Count; i++)
        {
            if (known[i] is { Length: >= 4 } secret && text.Contains(secret, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

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
            var formatted = formatter(state, exception);
            if (exception is null && !MayHoldSecret(formatted, known) && !AnyValueMayHoldSecret(state, known))
            {
                // The common case: nothing to remove. The sink gets the original state (its structured values as they
                // were) and the message already formatted, so nothing is copied or formatted twice.
                inner.Log(logLevel, eventId, state, null, (_, _) => formatted);
                return;
            }

            var message = Scrub(formatted, known);
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

        private static bool AnyValueMayHoldSecret<TState>(TState state, IReadOnlyList<string> known)
        {
            if (state is not IReadOnlyList<KeyValuePair<string, object?>> pairs)
            {
                return state is IEnumerable<KeyValuePair<string, object?>>; // unusual state shapes take the scrubbing path
            }

            for (var i = 0; i < pairs.Count; i++)
            {
                switch (pairs[i].Value)
                {
                    case null or bool or int or long or double or decimal or float or short or byte or Guid or TimeSpan or DateTimeOffset or DateTime:
                        continue;
                    case string text:
                        if (MayHoldSecret(text, known))
                        {
                            return true;
                        }

                        continue;
                    default:
                        return true; // other objects format in their own way: scrub them
                }
            }

            return false;
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
