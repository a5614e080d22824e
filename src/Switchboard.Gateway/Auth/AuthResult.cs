namespace Switchboard.Gateway.Auth;

/// <summary>The outcome of authenticating a request: a caller, or the status and message to refuse it with.</summary>
public readonly record struct AuthResult(Caller? Caller, int Status, string? Error)
{
    public static AuthResult Ok(Caller caller) => new(caller, 200, null);

    public static AuthResult Fail(int status, string error) => new(null, status, error);
}
