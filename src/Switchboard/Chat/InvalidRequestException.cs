namespace Switchboard.Chat;

/// <summary>A layer of the pipeline refuses the request as asked (a 400 at the gateway, naming the field).</summary>
public sealed class InvalidRequestException(string message, string? param = null) : Exception(message)
{
    /// <summary>The request field at fault, as the client's protocol names it.</summary>
    public string? Param { get; } = param;
}
