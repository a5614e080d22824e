using Microsoft.AspNetCore.Http;
using Switchboard.Budgets;
using Switchboard.Chat;
using Switchboard.Gateway.Edges;
using Switchboard.Guardrails;
using Switchboard.Policy;
using Switchboard.Routing;

namespace Switchboard.Gateway.Http;

/// <summary>Turns what went wrong into the status and message a client gets. Messages carry no secrets.</summary>
internal static class GatewayErrors
{
    public static GatewayError From(Exception exception) => exception switch
    {
        EdgeRequestException e => new(400, "invalid_request_error", e.Code ?? "invalid_request", e.Message, e.Param),
        InvalidRequestException e => new(400, "invalid_request_error", "invalid_request", e.Message, e.Param),
        ModelNotAllowedException e => new(403, "permission_error", "model_not_allowed", e.Message, "model"),
        CallerRateLimitedException e => new(429, "rate_limit_error", "rate_limit_exceeded", e.Message, RetryAfterSeconds: e.RetryAfterSeconds),
        BadHttpRequestException { StatusCode: 413 } => TooLarge(),
        BadHttpRequestException e => new(400, "invalid_request_error", "invalid_request", e.Message),
        RoutingFailedException r => FromRouting(r),
        // 402 rather than 429: a spent budget does not come back by retrying, and SDKs retry 429s.
        BudgetExceededException b => new(402, "insufficient_quota", "budget_exceeded",
            $"The budget '{b.BudgetName}' (limit ${b.LimitUsd}) does not allow this request: ${b.SpentUsd} is already spent or reserved."),
        UnpricedModelException u => new(402, "insufficient_quota", "unpriced_model", u.Message, "model"),
        BudgetUnavailableException => new(503, "service_unavailable", "budget_unavailable",
            "A budget applies to this request but its spend cannot be checked right now (the ledger database is unreachable).", RetryAfterSeconds: 5),
        ProviderException p => FromProvider(p, attempts: null),
        GuardrailBlockedException g => new(400, "invalid_request_error", "content_filter", g.Message),
        _ => new(500, "api_error", "internal_error", "The gateway failed unexpectedly; the request id identifies it in the logs."),
    };

    public static GatewayError TooLarge() =>
        new(413, "invalid_request_error", "request_too_large", "The request body is larger than this gateway accepts (Switchboard:Gateway:MaxRequestBytes).");

    private static GatewayError FromRouting(RoutingFailedException r)
    {
        if (r.StoppedOnNonRetryable && r.LastError is { } last)
        {
            return FromProvider(last, r.Message);
        }

        // Every candidate failed for reasons that implicate its provider (down, overloaded, unreachable, misconfigured):
        // the service is unavailable for now, and the message lists each attempt and its failure.
        return new(503, "service_unavailable", "all_providers_unavailable", SecretScrubber.Scrub(r.Message), RetryAfterSeconds: 5);
    }

    private static GatewayError FromProvider(ProviderException p, string? attempts)
    {
        var message = SecretScrubber.Scrub(attempts ?? p.Message);
        return p.Kind switch
        {
            ProviderErrorKind.NotFound => new(404, "invalid_request_error", "model_not_found", message, "model"),
            ProviderErrorKind.InvalidRequest => new(400, "invalid_request_error", p.ProviderCode ?? "invalid_request", message),
            ProviderErrorKind.ContextLengthExceeded => new(400, "invalid_request_error", "context_length_exceeded", message, "messages"),
            ProviderErrorKind.ContentFiltered => new(400, "invalid_request_error", "content_filter", message),
            ProviderErrorKind.RateLimited or ProviderErrorKind.QuotaExceeded => new(429, "rate_limit_error", "rate_limit_exceeded", message,
                RetryAfterSeconds: p.RetryAfter is { } ra ? Math.Max(1, (int)Math.Ceiling(ra.TotalSeconds)) : 1),
            ProviderErrorKind.Overloaded => new(503, "service_unavailable", "overloaded", message, RetryAfterSeconds: 5),
            ProviderErrorKind.Timeout => new(504, "api_error", "timeout", message),
            // The caller's key was fine; the gateway's credentials for the provider were not.
            ProviderErrorKind.Authentication or ProviderErrorKind.Permission => new(502, "api_error", "upstream_authentication_failed", message),
            _ => new(502, "api_error", "upstream_error", message),
        };
    }
}
