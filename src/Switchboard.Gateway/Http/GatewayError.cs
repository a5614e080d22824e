namespace Switchboard.Gateway.Http;

/// <summary>An error to send to a client, before it is put in the endpoint's own error format.</summary>
/// <param name="Status">HTTP status.</param>
/// <param name="Type">OpenAI-style error type (<c>invalid_request_error</c>, <c>authentication_error</c>, ...).</param>
/// <param name="Code">A machine-readable code (<c>model_not_found</c>, <c>context_length_exceeded</c>, ...).</param>
internal sealed record GatewayError(int Status, string Type, string? Code, string Message, string? Param = null, int? RetryAfterSeconds = null)
{
    /// <summary>Anthropic's error type for this status.</summary>
    public string AnthropicType => Status switch
    {
        400 => "invalid_request_error",
        401 => "authentication_error",
        402 => "billing_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        503 => "overloaded_error",
        _ => "api_error",
    };
}
