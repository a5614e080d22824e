using System.Text.Json;

namespace Switchboard.Gateway.Edges.Responses.Storage;

/// <summary>
/// One page of <c>GET /v1/responses/{id}/input_items</c>: OpenAI's list object <c>{"object":"list","data","first_id",
/// "last_id","has_more"}</c> over a stored response's input items. Pure.
/// </summary>
internal static class ResponsesInputItemsPage
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>The page after the item <paramref name="after"/> (from the start when null), in <paramref name="order"/>.</summary>
    /// <param name="itemsJson">The stored input items, a JSON array in conversation order.</param>
    /// <param name="order"><c>asc</c> (conversation order) or <c>desc</c> (newest first, OpenAI's default).</param>
    /// <param name="limit">1 to <see cref="MaxLimit"/> items.</param>
    /// <param name="after">An item id from an earlier page; the page starts after it.</param>
    /// <exception cref="EdgeRequestException"><paramref name="after"/> names no item of this response.</exception>
    public static byte[] Write(string itemsJson, string order, int limit, string? after)
    {
        using var document = JsonDocument.Parse(itemsJson);
        var items = document.RootElement.EnumerateArray().ToList();
        if (order == "desc")
        {
            items.Reverse();
        }

        var start = 0;
        if (after is not null)
        {
            var at = items.FindIndex(i => i.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.ValueEquals(after));
            start = at >= 0 ? at + 1 : throw new EdgeRequestException($"No input item with id '{after}' in this response.", "after");
        }

        var page = items.Skip(start).Take(limit).ToList();
        var hasMore = start + page.Count < items.Count;
        return EdgeJsonWriter.Build((page, hasMore), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("object", "list");
            w.WriteStartArray("data");
            foreach (var item in s.page)
            {
                item.WriteTo(w);
            }

            w.WriteEndArray();
            WriteId(w, "first_id", s.page.Count > 0 ? s.page[0] : null);
            WriteId(w, "last_id", s.page.Count > 0 ? s.page[^1] : null);
            w.WriteBoolean("has_more", s.hasMore);
            w.WriteEndObject();
        });
    }

    private static void WriteId(Utf8JsonWriter w, string name, JsonElement? item)
    {
        if (item is { } i && i.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
        {
            w.WriteString(name, id.GetString());
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
