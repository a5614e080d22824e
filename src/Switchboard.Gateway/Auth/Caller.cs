namespace Switchboard.Gateway.Auth;

/// <summary>Who made a request: the master key, a virtual key, or nobody (local unauthenticated mode).</summary>
public sealed record Caller(bool IsMaster, VirtualKey? Key)
{
    public static readonly Caller Master = new(true, null);
    public static readonly Caller Local = new(false, null);

    /// <summary>The id used for accounting and limits: the key's id, <c>master</c> or <c>local</c>; never a key.</summary>
    public string Id => Key?.Id ?? (IsMaster ? "master" : "local");

    /// <summary>The key's name for logs (never the key).</summary>
    public string? Name => Key?.Name ?? (IsMaster ? "master" : null);
}
