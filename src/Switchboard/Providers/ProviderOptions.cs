using System.ComponentModel.DataAnnotations;

namespace Switchboard.Providers;

/// <summary>One configured provider: <c>Switchboard:Providers:&lt;name&gt;</c>.</summary>
public sealed class ProviderOptions
{
    /// <summary>Protocol: one of <see cref="ProviderTypes"/>. Defaults to the provider's name when that is a known type.</summary>
    public string? Type { get; set; }

    /// <summary>
    /// Base URL of the API, written the way the provider's own SDK writes it: OpenAI-protocol types with the version
    /// (<c>https://api.openai.com/v1</c>, what <c>OPENAI_BASE_URL</c> holds; a base without a version is still
    /// accepted for <c>openai</c>), Anthropic and Gemini without (<c>https://api.anthropic.com</c>). Defaults come from
    /// <see cref="ProviderDefaults"/>.
    /// </summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The credential. Never logged, never returned.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Requests per minute allowed to this provider (null: unlimited).</summary>
    [Range(1, int.MaxValue)]
    public int? Rpm { get; set; }

    /// <summary>Tokens per minute allowed to this provider (null: unlimited).</summary>
    [Range(1, int.MaxValue)]
    public int? Tpm { get; set; }

    /// <summary>
    /// Longest silence between two events of a stream once it has started. The time to the first content and the
    /// time of a whole non-streaming answer are the router's (<c>Switchboard:Routing:FirstTokenTimeoutSeconds</c>,
    /// <c>AttemptTimeoutSeconds</c>).
    /// </summary>
    [Range(0.001, 3600)]
    public double StreamIdleTimeoutSeconds { get; set; } = ProviderDefaults.StreamIdleTimeoutSeconds;

    /// <summary>Azure OpenAI <c>api-version</c>; Anthropic <c>anthropic-version</c> override.</summary>
    public string? ApiVersion { get; set; }

    /// <summary>Request fields this server rejects; the OpenAI-compatible adapter never sends them.</summary>
    public IList<string> ExcludedParameters { get; } = [];

    /// <summary>Models this provider serves, when not the catalog's models of its type (for OpenAI-compatible servers).</summary>
    public IList<string> Models { get; } = [];

    /// <summary>Which of the client's own fields and <c>anthropic-beta</c> values this upstream receives as sent (see <see cref="ProviderPassThroughOptions"/>).</summary>
    public ProviderPassThroughOptions PassThrough { get; } = new();

    /// <summary>Extra headers sent with every request (for example an organisation id).</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The effective type: <see cref="Type"/>, else the name if it is a known type.</summary>
    public string ResolveType(string name) =>
        (Type ?? (ProviderTypes.All.Contains(name, StringComparer.OrdinalIgnoreCase) ? name : "")).ToLowerInvariant();
}
