using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.AI;

namespace Switchboard.Gateway.Edges;

/// <summary>Parsing helpers shared by the edge request mappers.</summary>
internal static class EdgeJson
{
    /// <summary>How deep a request body may nest (objects and arrays). Below System.Text.Json's default of 64 for writing,
    /// with room to spare: a provider adapter moves a value (tool input, schema) a few levels deeper in its own wire body.</summary>
    public const int MaxDepth = 48;

    /// <summary>Duplicate keys are refused: a validator reading one copy and an upstream reading the other could disagree.</summary>
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    /// <summary>
    /// Parses a request body that must be one JSON object; the caller disposes the document. Every string and key in it
    /// is valid Unicode and every number a finite double (<see cref="Validate"/>), so the mappers' reads cannot throw.
    /// </summary>
    public static JsonDocument ParseObject(ReadOnlyMemory<byte> body, string notJson, string notObject)
    {
        Validate(body.Span, notJson);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException e)
        {
            // Syntax, depth, text and numbers were checked above: what is left is a key that appears twice in one object.
            throw new EdgeRequestException($"The request body has the same key twice in one object; send each key once. ({e.Message})", null);
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new EdgeRequestException(notObject, null);
        }

        return document;
    }

    /// <summary>
    /// One pass over the body before anything reads it: valid JSON syntax within <see cref="MaxDepth"/>, every string and
    /// key valid UTF-8 that unescapes to valid UTF-16 (no lone surrogate such as <c>\ud800</c>), every number a finite
    /// double (no <c>1e400</c>). Throws <see cref="EdgeRequestException"/> with the byte offset of the first problem.
    /// </summary>
    public static void Validate(ReadOnlySpan<byte> body, string notJson, string? param = null)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.String or JsonTokenType.PropertyName when !IsValidText(ref reader):
                        throw new EdgeRequestException(
                            $"The request body holds text that is not valid Unicode at byte {reader.TokenStartIndex} " +
                            "(invalid UTF-8, or an escape such as \\ud800 that is half of a surrogate pair).", param);
                    case JsonTokenType.Number when !(reader.TryGetDouble(out var number) && double.IsFinite(number)):
                        throw new EdgeRequestException(
                            $"The request body holds a number at byte {reader.TokenStartIndex} that is too large to represent.", param);
                }
            }
        }
        catch (JsonException)
        {
            throw new EdgeRequestException(notJson, param);
        }
    }

    private static bool IsValidText(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return Utf8.IsValid(reader.ValueSpan);
        }

        try
        {
            _ = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>JSON text carried inside a string (OpenAI's function <c>arguments</c>), with the same checks as a body;
    /// the caller disposes the document.</summary>
    public static JsonDocument ParseNested(string text, string notJson, string param)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        Validate(bytes, notJson, param);
        try
        {
            return JsonDocument.Parse(bytes, DocumentOptions);
        }
        catch (JsonException)
        {
            throw new EdgeRequestException(notJson, param);
        }
    }

    /// <summary>
    /// Tool-call arguments sent as the JSON text of an object (OpenAI's <c>arguments</c>, in Chat Completions and
    /// Responses alike): empty or <c>null</c> is no arguments; anything but an object is a 400 naming the field.
    /// </summary>
    public static Dictionary<string, object?> ArgumentsFromText(string? text, EdgeScope scope)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var notJson = scope.Invalid("arguments", "expected the JSON text of an object, but it is not valid JSON.");
        using var document = ParseNested(text, notJson.Message, scope.PathOf("arguments"));
        return document.RootElement.ValueKind switch
        {
            JsonValueKind.Object => ToArguments(document.RootElement),
            JsonValueKind.Null => [],
            _ => throw scope.Invalid("arguments", "expected the JSON text of an object."),
        };
    }

    /// <summary>Function arguments from a JSON object: a dictionary of <see cref="JsonElement"/> values that outlive the document.</summary>
    public static Dictionary<string, object?> ToArguments(JsonElement jsonObject)
    {
        var owned = jsonObject.Clone();
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in owned.EnumerateObject())
        {
            arguments[property.Name] = property.Value;
        }

        return arguments;
    }

    /// <summary>Puts a field the edge does not map into the options' property bag, as a <see cref="JsonElement"/> that outlives the document.</summary>
    public static void Keep(ChatOptions options, JsonProperty property) =>
        (options.AdditionalProperties ??= [])[property.Name] = property.Value.Clone();

    /// <summary>A <c>data:</c> URI or an http(s) URL as content; null when <paramref name="url"/> is neither.</summary>
    public static AIContent? ToContent(string url, string defaultMediaType)
    {
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return new DataContent(url);
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? new UriContent(uri, defaultMediaType)
            : null;
    }
}
