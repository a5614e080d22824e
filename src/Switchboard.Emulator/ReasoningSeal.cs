using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Emulator;

/// <summary>
/// The emulator's <c>encrypted_content</c> for reasoning items: opaque to clients, bound to the item id, and checkable when a
/// client sends the item back (as OpenAI rejects reasoning it cannot decrypt). Base64 of <c>swbemu1:{id}:{mac}</c>.
/// </summary>
internal static class ReasoningSeal
{
    private const string Prefix = "swbemu1:";
    private static readonly byte[] s_key = Encoding.UTF8.GetBytes("switchboard-emulator-reasoning-seal");

    /// <summary>The sealed blob for a reasoning item id.</summary>
    public static string Mint(string itemId) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(Prefix + itemId + ":" + Mac(itemId)));

    /// <summary>Whether <paramref name="blob"/> was minted by <see cref="Mint"/> for <paramref name="itemId"/> (any id when null).</summary>
    public static bool Verify(string blob, string? itemId)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(blob));
        }
        catch (FormatException)
        {
            return false;
        }

        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = text[Prefix.Length..];
        var colon = rest.LastIndexOf(':');
        if (colon <= 0)
        {
            return false;
        }

        var id = rest[..colon];
        return (itemId is null || itemId == id) && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(rest[(colon + 1)..]), Encoding.ASCII.GetBytes(Mac(id)));
    }

    private static string Mac(string itemId) => Convert.ToHexStringLower(HMACSHA256.HashData(s_key, Encoding.UTF8.GetBytes(itemId)))[..32];
}
