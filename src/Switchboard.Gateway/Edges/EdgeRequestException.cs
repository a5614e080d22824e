namespace Switchboard.Gateway.Edges;

/// <summary>A client request the edge rejects with a 400; the message is meant for the client and names the field.</summary>
/// <param name="message">The error text, in the client protocol's style.</param>
/// <param name="param">The offending field's path (<c>messages[0].role</c>), or null when the body as a whole is wrong.</param>
internal sealed class EdgeRequestException(string message, string? param) : Exception(message)
{
    /// <summary>The offending field's path, or null.</summary>
    public string? Param { get; } = param;

    /// <summary>A machine-readable code for the client (<c>previous_response_not_found</c>); null means <c>invalid_request</c>.</summary>
    public string? Code { get; init; }
}
