using System.Collections.Frozen;
using System.Net.Http.Headers;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// How one OpenAI-protocol server is called: the URL per model, the auth header, extra headers and the
/// request fields it must never receive. Computed once per client from its <see cref="ProviderOptions"/>.
/// </summary>
internal sealed class OpenAIEndpoint
{
    private readonly string _base;
    private readonly Uri? _fixedUri;
    private readonly Uri? _embeddingsUri;
    private readonly Uri? _responsesUri;
    private readonly string? _apiVersion;
    private readonly string? _authName;
    private readonly string? _authValue;
    private readonly KeyValuePair<string, string>[] _headers;

    private OpenAIEndpoint(string name, string type, Uri baseUrl, string? apiKey, string? apiVersion,
        IEnumerable<string> excluded, IEnumerable<KeyValuePair<string, string>> headers)
    {
        Name = name;
        Type = type;
        BaseUrl = baseUrl;
        _base = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl.AbsoluteUri : baseUrl.AbsoluteUri + "/";
        ExcludedParameters = excluded.ToFrozenSet(StringComparer.Ordinal);
        _headers = [.. headers];
        var hasKey = !string.IsNullOrEmpty(apiKey);
        switch (type)
        {
            case ProviderTypes.AzureOpenAI:
                _apiVersion = apiVersion ?? ProviderDefaults.AzureApiVersion;
                _responsesUri = new Uri(_base + "openai/v1/responses"); // Azure's v1 API: the deployment goes in "model"
                (_authName, _authValue) = hasKey ? ("api-key", apiKey) : (null, null);
                break;
            case ProviderTypes.OpenAICompatible:
                _fixedUri = new Uri(_base + "chat/completions");
                _embeddingsUri = new Uri(_base + "embeddings");
                (_authName, _authValue) = hasKey ? ("Authorization", "Bearer " + apiKey) : (null, null);
                break;
            default:
                _fixedUri = new Uri(ProviderBaseUrl.VersionedRoot(baseUrl, "v1") + "chat/completions");
                _embeddingsUri = new Uri(ProviderBaseUrl.VersionedRoot(baseUrl, "v1") + "embeddings");
                _responsesUri = new Uri(ProviderBaseUrl.VersionedRoot(baseUrl, "v1") + "responses");
                (_authName, _authValue) = hasKey ? ("Authorization", "Bearer " + apiKey) : (null, null);
                break;
        }
    }

    /// <summary>The configured provider name (used in errors).</summary>
    public string Name { get; }

    /// <summary>One of <see cref="ProviderTypes.OpenAI"/>, <see cref="ProviderTypes.OpenAICompatible"/>, <see cref="ProviderTypes.AzureOpenAI"/>.</summary>
    public string Type { get; }

    public Uri BaseUrl { get; }

    /// <summary>Top-level request fields never sent to this server.</summary>
    public FrozenSet<string> ExcludedParameters { get; }

    /// <summary>Whether the output limit goes in the legacy <c>max_tokens</c> (what most OpenAI-compatible servers know).</summary>
    public bool UsesLegacyMaxTokens => Type == ProviderTypes.OpenAICompatible;

    /// <summary>
    /// The Responses API URL when this server is OpenAI's own or Azure OpenAI (what a client that spoke Responses is served from);
    /// null for OpenAI-compatible servers, which get Chat Completions.
    /// </summary>
    public Uri? ResponsesUri => _responsesUri;

    /// <summary>Whether a top-level field may be sent.</summary>
    public bool Allows(string field) => !ExcludedParameters.Contains(field);

    /// <summary>Builds the endpoint for a provider; throws when a type that needs a base URL has none.</summary>
    public static OpenAIEndpoint Create(string name, ProviderOptions options)
    {
        var type = options.ResolveType(name);
        if (type is not (ProviderTypes.OpenAI or ProviderTypes.OpenAICompatible or ProviderTypes.AzureOpenAI))
        {
            throw new ArgumentException($"Provider '{name}' has type '{type}', which is not an OpenAI protocol.", nameof(options));
        }

        var baseUrl = options.BaseUrl ?? ProviderDefaults.BaseUrlFor(type)
            ?? throw new ArgumentException($"Switchboard:Providers:{name}:BaseUrl is required for type '{type}'.", nameof(options));
        return new OpenAIEndpoint(name, type, baseUrl, options.ApiKey, options.ApiVersion, options.ExcludedParameters, options.Headers);
    }

    /// <summary>The chat completions URL for a model (Azure puts the deployment in the path).</summary>
    public Uri ChatCompletionsUri(string model) => _fixedUri ?? new Uri(
        $"{_base}openai/deployments/{Uri.EscapeDataString(model)}/chat/completions?api-version={Uri.EscapeDataString(_apiVersion!)}");

    /// <summary>The embeddings URL for a model (Azure puts the deployment in the path).</summary>
    public Uri EmbeddingsUri(string model) => _embeddingsUri ?? new Uri(
        $"{_base}openai/deployments/{Uri.EscapeDataString(model)}/embeddings?api-version={Uri.EscapeDataString(_apiVersion!)}");

    /// <summary>Adds the auth header and the configured extra headers.</summary>
    public void ApplyHeaders(HttpRequestHeaders headers)
    {
        if (_authName is not null)
        {
            headers.TryAddWithoutValidation(_authName, _authValue);
        }

        foreach (var (key, value) in _headers)
        {
            headers.TryAddWithoutValidation(key, value);
        }
    }

    /// <summary>Never prints the credential.</summary>
    public override string ToString() => $"{Name} ({Type}) {BaseUrl}";
}
