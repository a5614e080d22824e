using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchboard.Gateway.Edges;

/// <summary>Parsing helpers shared by the edge request mappers.</summary>
internal static class EdgeJson
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 128 };

    /// <summary>Parses a request body that must be one JSON object; the caller disposes the document.</summary>
    public static JsonDocument ParseObject(ReadOnlyMemory<byte> body, string notJson, string notObject)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException)
        {
            throw new EdgeRequestException(notJson, null);
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new EdgeRequestException(notObject, null);
        }

        return document;
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
