namespace Switchboard.Chat;

/// <summary>The provider-neutral classification of a failed provider call.</summary>
public enum ProviderErrorKind
{
    /// <summary>Anything not classified below.</summary>
    Unknown = 0,
    /// <summary>Too many requests or tokens (429); retryable after the provider's Retry-After.</summary>
    RateLimited,
    /// <summary>The account's quota or credit is exhausted (OpenAI insufficient_quota); not retryable.</summary>
    QuotaExceeded,
    /// <summary>The provider is overloaded (Anthropic 529, 503).</summary>
    Overloaded,
    /// <summary>The call, its first token, or the gap between chunks took too long.</summary>
    Timeout,
    /// <summary>The key was missing or rejected (401, Gemini API_KEY_INVALID).</summary>
    Authentication,
    /// <summary>The key may not use this resource (403).</summary>
    Permission,
    /// <summary>The request was malformed or used unsupported values (400, 413, 422).</summary>
    InvalidRequest,
    /// <summary>The input does not fit the model's context window.</summary>
    ContextLengthExceeded,
    /// <summary>The provider refused the prompt or the answer on content grounds.</summary>
    ContentFiltered,
    /// <summary>The model or path does not exist (404).</summary>
    NotFound,
    /// <summary>The provider failed internally (500, 502, 504 and other 5xx).</summary>
    ServerError,
    /// <summary>The connection failed or was reset.</summary>
    Network,
    /// <summary>The provider answered with something that could not be parsed.</summary>
    MalformedResponse,
}
