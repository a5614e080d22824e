using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Gateway.Auth;

/// <summary>Makes and hashes virtual keys. Keys are 256 random bits; only their SHA-256 is stored.</summary>
internal static class KeyHasher
{
    public const string KeyPrefix = "sb-";

    public static string NewKey() => KeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static string HashHex(string key) => Convert.ToHexStringLower(Hash(key));

    /// <summary>Compares two secrets in time independent of where they differ.</summary>
    public static bool FixedTimeEquals(string a, string b) => Matches(a, Hash(b));

    /// <summary>Whether <paramref name="presented"/> hashes to <paramref name="expectedHash"/> (a <see cref="Hash"/>), compared in
    /// constant time; allocates nothing for keys up to 256 UTF-8 bytes.</summary>
    public static bool Matches(string presented, ReadOnlySpan<byte> expectedHash)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var length = Encoding.UTF8.GetMaxByteCount(presented.Length);
        byte[]? rented = null;
        var utf8 = length <= 256 ? stackalloc byte[256] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(presented, utf8);
            SHA256.HashData(utf8[..written], hash);
            CryptographicOperations.ZeroMemory(utf8[..written]);
            return CryptographicOperations.FixedTimeEquals(hash, expectedHash);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
