using Microsoft.Extensions.Options;
using Switchboard.Pricing;
using Switchboard.Providers;
using Switchboard.Routing;

namespace Switchboard.Hosting;

/// <summary>Validates the whole <c>Switchboard</c> section at start-up and reports every error at once, each naming its key.</summary>
internal sealed class SwitchboardOptionsValidator : IValidateOptions<SwitchboardOptions>
{
    public ValidateOptionsResult Validate(string? name, SwitchboardOptions options)
    {
        var errors = new List<string>();
        foreach (var (providerName, provider) in options.Providers)
        {
            ValidateProvider(errors, providerName, provider);
        }

        foreach (var (routeName, route) in options.Models)
        {
            ValidateRoute(errors, options, routeName, route);
        }

        ValidateRouting(errors, options.Routing);
        foreach (var model in options.Catalog.Models)
        {
            if (string.IsNullOrWhiteSpace(model.Id) || string.IsNullOrWhiteSpace(model.Provider))
            {
                errors.Add("Switchboard:Catalog:Models: every model needs a Provider and an Id.");
            }
            else if (model.InputPerMTok < 0 || model.OutputPerMTok < 0 || model.ContextWindow <= 0 || (model.MaxOutputTokens <= 0 && !model.IsEmbedding))
            {
                errors.Add($"Switchboard:Catalog:Models ({model.Provider}/{model.Id}): prices must be >= 0 and ContextWindow, MaxOutputTokens > 0 " +
                    "(MaxOutputTokens may be 0 for Mode embedding).");
            }
            else if ((model.Mode is { } mode && mode is not (ModelModes.Chat or ModelModes.Embedding)) || model.Dimensions is <= 0)
            {
                errors.Add($"Switchboard:Catalog:Models ({model.Provider}/{model.Id}): Mode must be chat or embedding and Dimensions > 0.");
            }
            else if (PriceChangesError(model) is { } error)
            {
                errors.Add($"Switchboard:Catalog:Models ({model.Provider}/{model.Id}): {error}");
            }
        }

        if (options.Catalog.Import is { Length: > 0 } import)
        {
            try
            {
                if (LiteLlmPriceFile.Load(import).Count == 0)
                {
                    errors.Add($"Switchboard:Catalog:Import: '{import}' holds no openai, anthropic or gemini chat or embedding model with a price.");
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or ArgumentException or NotSupportedException)
            {
                errors.Add($"Switchboard:Catalog:Import: '{import}' cannot be read as a LiteLLM price file ({ex.GetType().Name}: {ex.Message}).");
            }
        }

        if (options.Catalog.UnpricedModel is { } unpriced &&
            (unpriced.InputPerMTok < 0 || unpriced.OutputPerMTok < 0 || unpriced.InputPerMTok + unpriced.OutputPerMTok == 0 || unpriced.MaxOutputTokens <= 0))
        {
            errors.Add("Switchboard:Catalog:UnpricedModel: InputPerMTok and OutputPerMTok must be >= 0 and not both 0, MaxOutputTokens > 0.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateProvider(List<string> errors, string name, ProviderOptions provider)
    {
        var key = $"Switchboard:Providers:{name}";
        var type = provider.ResolveType(name);
        if (!ProviderTypes.All.Contains(type))
        {
            errors.Add($"{key}:Type: '{provider.Type ?? "(missing)"}' is not one of {string.Join(", ", ProviderTypes.All)}.");
        }

        if (provider.BaseUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
        {
            errors.Add($"{key}:BaseUrl: '{url}' must be an absolute http(s) URL.");
        }

        if (provider.BaseUrl is null && type is ProviderTypes.OpenAICompatible or ProviderTypes.AzureOpenAI)
        {
            errors.Add($"{key}:BaseUrl: required for type {type}.");
        }

        if (string.IsNullOrEmpty(provider.ApiKey) && type is ProviderTypes.OpenAI or ProviderTypes.Anthropic or ProviderTypes.Gemini or ProviderTypes.AzureOpenAI)
        {
            errors.Add($"{key}:ApiKey: required for type {type} (or set the provider's standard environment variable).");
        }

        if (provider.Rpm is <= 0)
        {
            errors.Add($"{key}:Rpm: must be a positive number of requests per minute.");
        }

        if (provider.Tpm is <= 0)
        {
            errors.Add($"{key}:Tpm: must be a positive number of tokens per minute.");
        }

        if (provider.StreamIdleTimeoutSeconds <= 0)
        {
            errors.Add($"{key}:StreamIdleTimeoutSeconds: must be positive.");
        }

        errors.AddRange(ProviderPassThrough.Validate(key, type, provider.PassThrough));
    }

    private static void ValidateRoute(List<string> errors, SwitchboardOptions options, string name, RouteDefinition route)
    {
        var key = $"Switchboard:Models:{name}";
        if (!RoutingPolicyNames.All.Contains(route.Policy, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"{key}:Policy: '{route.Policy}' is not one of {string.Join(", ", RoutingPolicyNames.All)}.");
        }

        if (route.Targets.Count == 0)
        {
            errors.Add($"{key}:Targets: a route needs at least one provider/model target.");
        }

        for (var i = 0; i < route.Targets.Count; i++)
        {
            var target = route.Targets[i];
            var slash = target.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == target.Length - 1)
            {
                errors.Add($"{key}:Targets:{i}: '{target}' must be provider/model.");
                continue;
            }

            var provider = target[..slash];
            if (!options.Providers.ContainsKey(provider) && !ProviderTypes.All.Contains(provider, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{key}:Targets:{i}: '{provider}' is neither a configured provider nor a provider type.");
            }
        }

        foreach (var (target, weight) in route.Weights)
        {
            if (weight < 0)
            {
                errors.Add($"{key}:Weights:{target}: must be zero or more.");
            }
        }

        if (route.HedgeDelayMs is < 0)
        {
            errors.Add($"{key}:HedgeDelayMs: must be zero or more.");
        }
    }

    /// <summary>What is wrong with a model's <see cref="ModelInfo.PriceChanges"/>, or null.</summary>
    internal static string? PriceChangesError(ModelInfo model)
    {
        var previous = DateTimeOffset.MinValue;
        foreach (var change in model.PriceChanges)
        {
            if (change.From <= previous)
            {
                return "PriceChanges must be in date order, each with its From.";
            }

            if (change.InputPerMTok < 0 || change.OutputPerMTok < 0 || change.CachedInputPerMTok < 0 || change.CacheWritePerMTok < 0 ||
                change.LongInputPerMTok < 0 || change.LongOutputPerMTok < 0)
            {
                return "PriceChanges prices must be >= 0.";
            }

            previous = change.From;
        }

        return null;
    }

    private static void ValidateRouting(List<string> errors, RoutingOptions routing)
    {
        const string key = "Switchboard:Routing";
        if (routing.MaxAttempts < 1)
        {
            errors.Add($"{key}:MaxAttempts: must be at least 1.");
        }

        if (routing.FirstTokenTimeoutSeconds <= 0)
        {
            errors.Add($"{key}:FirstTokenTimeoutSeconds: must be positive.");
        }

        if (routing.MaxStreamSeconds is <= 0)
        {
            errors.Add($"{key}:MaxStreamSeconds: must be positive, or unset for no limit.");
        }

        if (routing.AttemptTimeoutSeconds <= 0)
        {
            errors.Add($"{key}:AttemptTimeoutSeconds: must be positive.");
        }

        if (routing.Retry.MaxRetries is < 0 or > 10)
        {
            errors.Add($"{key}:Retry:MaxRetries: must be between 0 and 10.");
        }

        if (routing.Retry.BudgetPercent is < 0 or > 100)
        {
            errors.Add($"{key}:Retry:BudgetPercent: must be between 0 and 100.");
        }

        var breaker = routing.CircuitBreaker;
        if (breaker.FailureRatio is <= 0 or > 1)
        {
            errors.Add($"{key}:CircuitBreaker:FailureRatio: must be in (0, 1].");
        }

        if (breaker.MinimumThroughput < 2)
        {
            errors.Add($"{key}:CircuitBreaker:MinimumThroughput: must be at least 2.");
        }

        if (breaker.SamplingSeconds < 0.5 || breaker.BreakSeconds < 0.5)
        {
            errors.Add($"{key}:CircuitBreaker: SamplingSeconds and BreakSeconds must be at least 0.5.");
        }
    }
}
