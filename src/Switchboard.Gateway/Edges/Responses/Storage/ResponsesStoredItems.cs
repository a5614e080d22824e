using System.Text;
using System.Text.Json;

namespace Switchboard.Gateway.Edges.Responses.Storage;

/// <summary>
/// The items a stored response keeps, as Responses wire JSON. Pure: input normalised into items the official SDKs parse
/// (a string input becomes a user message; message content strings become parts; every item gets an <c>id</c>), the
/// earlier turns first; and the items a chained request puts before its own input (the previous input, then its output).
/// </summary>
internal static class ResponsesStoredItems
{
    /// <summary>The stored input items of a response: <paramref name="prior"/> (already normalised), then the request's own <paramref name="input"/>.</summary>
    /// <param name="prior">The earlier turns' items as a JSON array (<see cref="Chain"/>), or null.</param>
    /// <param name="input">The request's <c>input</c> as sent: a string or an array of items.</param>
    /// <param name="responseId">The response's id; input items without an id get one derived from it.</param>
    public static string InputItems(byte[]? prior, JsonElement input, string responseId)
    {
        var bytes = EdgeJsonWriter.Build((prior, input, responseId), static (w, s) =>
        {
            w.WriteStartArray();
            if (s.prior is not null)
            {
                using var document = JsonDocument.Parse(s.prior);
                foreach (var item in document.RootElement.EnumerateArray())
                {
                    item.WriteTo(w);
                }
            }

            if (s.input.ValueKind == JsonValueKind.String)
            {
                WriteTextMessage(w, $"msg_{s.responseId}_in0", "user", s.input.GetString() ?? "");
            }
            else if (s.input.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var item in s.input.EnumerateArray())
                {
                    WriteItem(w, item, s.responseId, index++);
                }
            }

            w.WriteEndArray();
        });
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>What a request chained to <paramref name="stored"/> continues from: its input items, then its output items, as a JSON array.</summary>
    public static byte[] Chain(StoredResponse stored)
    {
        using var input = JsonDocument.Parse(stored.InputItemsJson);
        using var response = JsonDocument.Parse(stored.ResponseJson);
        return EdgeJsonWriter.Build((input: input.RootElement, response: response.RootElement), static (w, s) =>
        {
            w.WriteStartArray();
            foreach (var item in s.input.EnumerateArray())
            {
                item.WriteTo(w);
            }

            if (s.response.TryGetProperty("output", out var output) && output.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in output.EnumerateArray())
                {
                    item.WriteTo(w);
                }
            }

            w.WriteEndArray();
        });
    }

    /// <summary>
    /// The items a stored response indexes for <c>item_reference</c>: its own input items (those after the
    /// <paramref name="priorCount"/> earlier turns' items) and its output items, each with its id.
    /// </summary>
    public static List<StoredResponseItem> Indexed(string inputItems, int priorCount, ReadOnlySpan<byte> response)
    {
        var indexed = new List<StoredResponseItem>();
        using var input = JsonDocument.Parse(inputItems);
        Add(indexed, input.RootElement.EnumerateArray().Skip(priorCount));
        var reader = new Utf8JsonReader(response);
        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.TryGetProperty("output", out var output) && output.ValueKind == JsonValueKind.Array)
        {
            Add(indexed, output.EnumerateArray());
        }

        return indexed;

        static void Add(List<StoredResponseItem> to, IEnumerable<JsonElement> items)
        {
            foreach (var item in items)
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
                {
                    to.Add(new StoredResponseItem(id.GetString()!, item.GetRawText()));
                }
            }
        }
    }

    /// <summary>The input array <paramref name="input"/> with the items at the indexes of <paramref name="replacements"/> replaced by their JSON (an owned clone).</summary>
    public static JsonElement Replace(JsonElement input, IReadOnlyDictionary<int, string> replacements)
    {
        var bytes = EdgeJsonWriter.Build((input, replacements), static (w, s) =>
        {
            w.WriteStartArray();
            var index = 0;
            foreach (var item in s.input.EnumerateArray())
            {
                if (s.replacements.TryGetValue(index++, out var json))
                {
                    w.WriteRawValue(json, skipInputValidation: true);
                }
                else
                {
                    item.WriteTo(w);
                }
            }

            w.WriteEndArray();
        });
        using var document = JsonDocument.Parse(bytes);
        return document.RootElement.Clone();
    }

    /// <summary>The number of items in a JSON array (the earlier turns' items), 0 for null.</summary>
    public static int Count(byte[]? items)
    {
        if (items is null)
        {
            return 0;
        }

        using var document = JsonDocument.Parse(items);
        return document.RootElement.GetArrayLength();
    }

    /// <summary>One input item with <c>type</c> and <c>id</c> first; a message's string content becomes one text part.</summary>
    private static void WriteItem(Utf8JsonWriter w, JsonElement item, string responseId, int index)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            item.WriteTo(w); // the mapper refuses these before anything is stored
            return;
        }

        var type = item.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "message";
        w.WriteStartObject();
        w.WriteString("type", type);
        if (item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
        {
            w.WriteString("id", id.GetString());
        }
        else
        {
            w.WriteString("id", $"{Prefix(type)}_{responseId}_in{index}");
        }

        var role = item.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        foreach (var property in item.EnumerateObject())
        {
            if (property.NameEquals("type") || property.NameEquals("id"))
            {
                continue;
            }

            if (type == "message" && property.NameEquals("content"))
            {
                w.WritePropertyName("content");
                WriteContent(w, property.Value, role);
                continue;
            }

            property.WriteTo(w);
        }

        w.WriteEndObject();
    }

    /// <summary>Message content as parts: a string becomes one <c>input_text</c> (assistant: <c>output_text</c>) part; <c>output_text</c> parts get their <c>annotations</c>.</summary>
    private static void WriteContent(Utf8JsonWriter w, JsonElement content, string? role)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            w.WriteStartArray();
            WriteTextPart(w, role, content.GetString() ?? "");
            w.WriteEndArray();
            return;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            content.WriteTo(w);
            return;
        }

        w.WriteStartArray();
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var type) && type.ValueEquals("output_text")
                && !part.TryGetProperty("annotations", out _))
            {
                w.WriteStartObject();
                foreach (var property in part.EnumerateObject())
                {
                    property.WriteTo(w);
                }

                w.WriteStartArray("annotations");
                w.WriteEndArray();
                w.WriteEndObject();
            }
            else
            {
                part.WriteTo(w);
            }
        }

        w.WriteEndArray();
    }

    private static void WriteTextMessage(Utf8JsonWriter w, string id, string role, string text)
    {
        w.WriteStartObject();
        w.WriteString("type", "message");
        w.WriteString("id", id);
        w.WriteString("role", role);
        w.WriteStartArray("content");
        WriteTextPart(w, role, text);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteTextPart(Utf8JsonWriter w, string? role, string text)
    {
        w.WriteStartObject();
        if (role == "assistant")
        {
            w.WriteString("type", "output_text");
            w.WriteString("text", text);
            w.WriteStartArray("annotations");
            w.WriteEndArray();
        }
        else
        {
            w.WriteString("type", "input_text");
            w.WriteString("text", text);
        }

        w.WriteEndObject();
    }

    private static string Prefix(string type) => type switch
    {
        "message" => "msg",
        "function_call" => "fc",
        "function_call_output" => "fco",
        "custom_tool_call" => "ctc",
        "custom_tool_call_output" => "ctco",
        "reasoning" => "rs",
        "compaction" => "cmp",
        _ => "item",
    };
}
