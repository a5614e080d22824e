using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchboard.Gateway.Edges;

/// <summary>Writing helpers shared by the edge writers: a per-thread reusable buffer and writer, and function arguments as JSON.</summary>
internal static class EdgeJsonWriter
{
    private const int MaxRetainedBytes = 64 * 1024;

    private static readonly JsonWriterOptions Options = new()
    {
        // Keep non-ASCII text compact: this is JSON for API clients, not HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_argumentsBuffer;
    [ThreadStatic] private static Utf8JsonWriter? t_argumentsWriter;

    /// <summary>Builds one JSON document with <paramref name="write"/> and returns its bytes.</summary>
    /// <remarks>Not reentrant: <paramref name="write"/> must not call <see cref="Build{TState}"/> again.</remarks>
    public static byte[] Build<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        var writer = t_writer ??= new Utf8JsonWriter(buffer, Options);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        try
        {
            write(writer, state);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            writer.Reset();
            if (buffer.Capacity > MaxRetainedBytes)
            {
                t_buffer = null;
                t_writer = null;
            }
        }
    }

    /// <summary>Writes function arguments as a JSON object (<c>{}</c> when there are none).</summary>
    public static void WriteArguments(Utf8JsonWriter w, IDictionary<string, object?>? arguments)
    {
        w.WriteStartObject();
        if (arguments is not null)
        {
            foreach (var (name, value) in arguments)
            {
                w.WritePropertyName(name);
                WriteValue(w, value);
            }
        }

        w.WriteEndObject();
    }

    /// <summary>Writes function arguments as a JSON string whose text is the arguments object (OpenAI <c>arguments</c>, Anthropic <c>partial_json</c>).</summary>
    public static void WriteArgumentsString(Utf8JsonWriter w, IDictionary<string, object?>? arguments)
    {
        if (arguments is null || arguments.Count == 0)
        {
            w.WriteStringValue("{}"u8);
            return;
        }

        var buffer = t_argumentsBuffer ??= new ArrayBufferWriter<byte>(256);
        var inner = t_argumentsWriter ??= new Utf8JsonWriter(buffer, Options);
        buffer.ResetWrittenCount();
        inner.Reset(buffer);
        try
        {
            WriteArguments(inner, arguments);
            inner.Flush();
            w.WriteStringValue(buffer.WrittenSpan);
        }
        finally
        {
            inner.Reset();
            if (buffer.Capacity > MaxRetainedBytes)
            {
                t_argumentsBuffer = null;
                t_argumentsWriter = null;
            }
        }
    }

    /// <summary>Writes one argument value: JSON verbatim, primitives as such, anything else through the AI JSON defaults.</summary>
    public static void WriteValue(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case JsonElement element: element.WriteTo(w); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case int i: w.WriteNumberValue(i); break;
            case long l: w.WriteNumberValue(l); break;
            case double d: w.WriteNumberValue(d); break;
            case float f: w.WriteNumberValue(f); break;
            case decimal m: w.WriteNumberValue(m); break;
            default: JsonSerializer.Serialize(w, value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType())); break;
        }
    }

    /// <summary>The text of a response's text contents, concatenated; null when it has none.</summary>
    public static string? TextOf(IEnumerable<ChatMessage> messages)
    {
        string? text = null;
        System.Text.StringBuilder? builder = null;
        foreach (var message in messages)
        {
            foreach (var content in message.Contents)
            {
                if (content is TextContent { Text: var piece })
                {
                    if (text is null)
                    {
                        text = piece;
                    }
                    else
                    {
                        (builder ??= new System.Text.StringBuilder(text)).Append(piece);
                    }
                }
            }
        }

        return builder?.ToString() ?? text;
    }
}
