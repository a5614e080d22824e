namespace Switchboard.Gateway.Edges.Responses.Storage;

/// <summary>Stored Responses API responses, by Switchboard's response id and owner. Expired rows are never returned.</summary>
public interface IResponseStore
{
    /// <summary>Stores <paramref name="response"/> and its <see cref="StoredResponse.Items"/> durably; false when a response with its id already exists (nothing is overwritten).</summary>
    Task<bool> SaveAsync(StoredResponse response, CancellationToken cancellationToken);

    /// <summary>The response with <paramref name="id"/> owned by <paramref name="owner"/>; null when missing, expired or another caller's.</summary>
    Task<StoredResponse?> GetAsync(string id, string owner, CancellationToken cancellationToken);

    /// <summary>
    /// The item with <paramref name="itemId"/> (its wire JSON) from a response owned by <paramref name="owner"/>; null when no
    /// unexpired response of that owner holds it.
    /// </summary>
    Task<string?> GetItemAsync(string itemId, string owner, CancellationToken cancellationToken);

    /// <summary>Deletes the response with <paramref name="id"/> owned by <paramref name="owner"/>; false when there was none to delete.</summary>
    Task<bool> DeleteAsync(string id, string owner, CancellationToken cancellationToken);
}
