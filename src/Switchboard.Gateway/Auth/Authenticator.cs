using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Switchboard.Gateway.Hosting;

namespace Switchboard.Gateway.Auth;

/// <summary>
/// Reads the key from <c>Authorization: Bearer</c>, <c>x-api-key</c>, <c>x-goog-api-key</c> or <c>?key=</c> and resolves it to a caller. The master key is
/// compared in constant time; virtual keys are looked up by hash. Without a master key (loopback-only local mode)
/// requests without a key are let in.
/// </summary>
internal sealed class Authenticator(IOptions<AuthOptions> options, IKeyStore keys, TimeProvider time)
{
    public bool LocalMode => string.IsNullOrEmpty(options.Value.MasterKey);

    public async ValueTask<AuthResult> AuthenticateAsync(HttpContext http, bool adminOnly)
    {
        var presented = PresentedKey(http.Request, allowQueryKey: !adminOnly);
        if (presented is null)
        {
            return LocalMode
                ? AuthResult.Ok(adminOnly ? Caller.Master : Caller.Local)
                : AuthResult.Fail(401, "Missing API key. Send it as 'Authorization: Bearer KEY', 'x-api-key: KEY' or 'x-goog-api-key: KEY'.");
        }

        if (options.Value.MasterKey is { Length: > 0 } master && KeyHasher.Matches(presented, MasterHash(master)))
        {
            return AuthResult.Ok(Caller.Master);
        }

        if (adminOnly)
        {
            return LocalMode ? AuthResult.Ok(Caller.Master) : AuthResult.Fail(401, "This endpoint needs the master key.");
        }

        var key = await keys.FindAsync(presented, http.RequestAborted);
        if (key is null)
        {
            return LocalMode ? AuthResult.Ok(Caller.Local) : AuthResult.Fail(401, "Invalid API key.");
        }

        if (key.RevokedAt is not null)
        {
            return AuthResult.Fail(401, "This API key has been revoked.");
        }

        if (!key.IsActive(time.GetUtcNow()))
        {
            return AuthResult.Fail(401, "This API key has expired.");
        }

        return AuthResult.Ok(new Caller(false, key));
    }

    // The master key's hash, made once (per master key value) rather than on every request.
    private byte[] MasterHash(string master)
    {
        var known = Volatile.Read(ref _masterHash);
        if (known is null || !ReferenceEquals(known.Key, master))
        {
            known = new MasterKeyHash(master, KeyHasher.Hash(master));
            Volatile.Write(ref _masterHash, known);
        }

        return known.Hash;
    }

    private MasterKeyHash? _masterHash;

    private sealed record MasterKeyHash(string Key, byte[] Hash);

    // A key in the URL (?key=, as Google's SDKs allow) is accepted on the model endpoints only, never for the admin API.
    private static string? PresentedKey(HttpRequest request, bool allowQueryKey)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization["Bearer ".Length..].Trim();
            return token.Length > 0 ? token : null;
        }

        var apiKey = request.Headers["x-api-key"].ToString();
        if (apiKey.Length > 0)
        {
            return apiKey;
        }

        // Google's SDKs and Gemini CLI: the x-goog-api-key header, or ?key= on the URL.
        var googleKey = request.Headers["x-goog-api-key"].ToString();
        if (googleKey.Length == 0 && allowQueryKey)
        {
            googleKey = request.Query["key"].ToString();
        }

        return googleKey.Length > 0 ? googleKey : null;
    }
}
