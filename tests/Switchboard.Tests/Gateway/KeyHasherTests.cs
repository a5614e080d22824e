using Switchboard.Gateway.Auth;

namespace Switchboard.Tests.Gateway;

public sealed class KeyHasherTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(85)]   // 255 UTF-8 bytes with the 3-byte char below: still on the stack
    [InlineData(400)]  // past the stack buffer: a pooled one
    public void Matches_TheKeyItsHashWasMadeFrom_AndNoOther(int length)
    {
        var key = new string('€', length);
        var hash = KeyHasher.Hash(key);

        Assert.True(KeyHasher.Matches(key, hash));
        Assert.False(KeyHasher.Matches(key + "x", hash));
        Assert.False(KeyHasher.Matches(key[..^1], hash));
        Assert.True(KeyHasher.FixedTimeEquals(key, key));
        Assert.False(KeyHasher.FixedTimeEquals(key, key + "x"));
    }
}
