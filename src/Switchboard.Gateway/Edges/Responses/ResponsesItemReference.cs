using Microsoft.Extensions.AI;

namespace Switchboard.Gateway.Edges.Responses;

/// <summary>
/// An <c>item_reference</c> input item (<c>{type: "item_reference", id}</c>) waiting to be resolved: the input mapper, which
/// is pure, leaves an empty placeholder message where the item goes; once the caller is known, <c>ResponsesState</c> looks
/// the id up among that caller's stored items and puts the item's messages in its place.
/// </summary>
/// <param name="Id">The referenced item's id.</param>
/// <param name="Param">Where the reference is in the request (<c>input[2].id</c>), named by the 400 when it is not found.</param>
/// <param name="InputIndex">Its index in the request's <c>input</c> array.</param>
internal sealed record ResponsesItemReference(string Id, string Param, int InputIndex)
{
    private const string Key = "switchboard.item_reference";

    /// <summary>The placeholder message standing for this reference.</summary>
    public ChatMessage ToPlaceholder() => new() { Role = ChatRole.User, AdditionalProperties = new() { [Key] = this } };

    /// <summary>The reference <paramref name="message"/> stands for, or null for an ordinary message.</summary>
    public static ResponsesItemReference? Of(ChatMessage message) =>
        message.AdditionalProperties is { } properties && properties.TryGetValue(Key, out var value) ? value as ResponsesItemReference : null;
}
