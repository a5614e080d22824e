using System.Text;

namespace Switchboard.Gateway.Edges.Responses.Storage;

/// <summary>One stored response: the response object as it was answered and the input items it answered, with who owns it.</summary>
/// <param name="Id">Switchboard's own response id (<c>resp_…</c>); never an upstream id.</param>
/// <param name="Owner">The caller that made it: a virtual key's id, <c>master</c> or <c>local</c>. Only it can read, chain or delete it.</param>
/// <param name="CreatedAt">When it was answered.</param>
/// <param name="ExpiresAt">After this it cannot be read or chained from, and is purged.</param>
/// <param name="Model">The model that answered.</param>
/// <param name="Status"><c>completed</c>, <c>incomplete</c> or <c>failed</c> (a stream that broke; readable, never chained from).</param>
/// <param name="InputTokens">Input tokens as reported in its usage.</param>
/// <param name="OutputTokens">Output tokens as reported in its usage.</param>
/// <param name="ResponseJson">The response object (<c>"object": "response"</c>), exactly as sent to the client.</param>
/// <param name="InputItemsJson">A JSON array of its input items (the earlier turns' items first), each with an <c>id</c>.</param>
public sealed record StoredResponse(string Id, string Owner, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string? Model, string Status,
    long? InputTokens, long? OutputTokens, string ResponseJson, string InputItemsJson)
{
    /// <summary>
    /// The items <c>item_reference</c> can name, indexed by id for the owner: this response's own input items (not the earlier
    /// turns', which their own responses indexed) and its output items. Written with the response; not read back by <see cref="IResponseStore.GetAsync"/>.
    /// </summary>
    public IReadOnlyList<StoredResponseItem> Items { get; init; } = Array.Empty<StoredResponseItem>();

    /// <summary>The UTF-8 bytes of its JSON, what the size cap (<see cref="ResponseStoreOptions.MaxStoredBytes"/>) limits.</summary>
    public long Size => (long)Encoding.UTF8.GetByteCount(ResponseJson) + Encoding.UTF8.GetByteCount(InputItemsJson);
}

/// <summary>One stored item, by its id: the Responses wire JSON of an input or output item.</summary>
public sealed record StoredResponseItem(string Id, string Json);
