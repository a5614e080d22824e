using System.Collections.Concurrent;
using System.Collections.Frozen;
using Switchboard.Chat;
using Switchboard.Pricing;
using Switchboard.Providers;

namespace Switchboard.Routing;

/// <summary>
/// Turns what a request names (a route, <c>provider/model</c>, or a bare catalog model) into a <see cref="Route"/>,
/// over the configured providers only. Built once at start-up.
/// </summary>
public sealed class RouteTable
{
    // Aliases may name aliases; a cycle or a chain deeper than this resolves to nothing.
    private const int MaxAliasDepth = 8;

    // Resolutions of listed names kept (provider/model, catalog models): bounded, since case variants are distinct keys.
    private const int MaxResolvedNames = 1024;

    private readonly FrozenDictionary<string, Route> _routes;
    private readonly FrozenDictionary<string, string> _providerTypes;
    private readonly ModelCatalog _catalog;
    private readonly Dictionary<string, ProviderOptions> _providers;
    private readonly HashSet<string> _routeTargets = new(StringComparer.OrdinalIgnoreCase);
    private readonly IReadOnlyDictionary<string, IList<string>> _families;
    private readonly FrozenDictionary<string, string> _aliases;
    private readonly UnpricedModelPrice? _unpriced;
    private readonly ConcurrentDictionary<string, Route> _resolved = new(StringComparer.Ordinal);

    /// <param name="providers">The configured providers (<c>Switchboard:Providers</c>).</param>
    /// <param name="models">The configured routes (<c>Switchboard:Models</c>).</param>
    /// <param name="routing">Default route, model families and aliases (<c>Switchboard:Routing</c>).</param>
    /// <param name="catalog">Prices and context windows.</param>
    /// <param name="unpriced">The price of models the catalog does not know (<c>Switchboard:Catalog:UnpricedModel</c>), if set.</param>
    public RouteTable(IReadOnlyDictionary<string, ProviderOptions> providers, IReadOnlyDictionary<string, RouteDefinition> models,
        RoutingOptions routing, ModelCatalog catalog, UnpricedModelPrice? unpriced = null)
    {
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(routing);
        _catalog = catalog;
        _unpriced = unpriced;
        _providers = new Dictionary<string, ProviderOptions>(providers, StringComparer.OrdinalIgnoreCase);
        _providerTypes = providers.ToFrozenDictionary(p => p.Key, p => p.Value.ResolveType(p.Key), StringComparer.OrdinalIgnoreCase);
        DefaultRoute = routing.DefaultRoute;
        _families = routing.EffectiveModelFamilies();
        _aliases = routing.Aliases.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

        var routes = new Dictionary<string, Route>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, targets) in catalog.DefaultRoutes)
        {
            AddRoute(routes, name, RoutingPolicyNames.Priority, targets, new Dictionary<string, int>(), null);
        }

        foreach (var target in models.Values.SelectMany(d => d.Targets))
        {
            _routeTargets.Add(target);
        }

        foreach (var (name, definition) in models)
        {
            AddRoute(routes, name, definition.Policy, [.. definition.Targets], definition.Weights,
                definition.HedgeDelayMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null, definition.HedgeAtP95);
        }

        _routes = routes.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The route used when a request names no model.</summary>
    public string DefaultRoute { get; }

    /// <summary>Every route with at least one servable deployment.</summary>
    public IReadOnlyCollection<Route> Routes => _routes.Values;

    /// <summary>Every catalog model that some configured provider serves, and every model an OpenAI-compatible provider lists.</summary>
    public IEnumerable<Deployment> ServableModels()
    {
        foreach (var (name, type) in _providerTypes)
        {
            foreach (var model in _catalog.Models.Where(m => m.Provider == CatalogProviderFor(type)))
            {
                yield return Make(name, type, model.Id);
            }

            foreach (var model in _providers[name].Models)
            {
                yield return Make(name, type, model);
            }
        }
    }

    /// <summary>The configured aliases (<c>Switchboard:Routing:Aliases</c>) whose target resolves.</summary>
    public IEnumerable<string> Aliases => _aliases.Keys.Where(a => TryResolve(a, 0) is not null);

    /// <summary>
    /// Resolves a requested model name: a route, an alias, <c>provider/model</c>, a catalog model, or a model of a known family
    /// (<see cref="RoutingOptions.ModelFamilies"/>); throws <see cref="ProviderException"/> (NotFound) when nothing serves it.
    /// </summary>
    /// <remarks>
    /// A name whose deployments are all listed resolves to the same <see cref="Route"/> every time (kept, up to
    /// <see cref="MaxResolvedNames"/> names); an unlisted name is resolved anew each time and never kept, so hostile
    /// names cost no memory.
    /// </remarks>
    public Route Resolve(string? requested)
    {
        if (requested is not null && _resolved.TryGetValue(requested, out var known))
        {
            return known;
        }

        var name = string.IsNullOrWhiteSpace(requested) ? DefaultRoute : requested.Trim();
        var route = TryResolve(name, 0);
        if (route is not null && requested is not null && _resolved.Count < MaxResolvedNames && AllListed(route))
        {
            _resolved.TryAdd(requested, route);
        }

        return route ?? throw new ProviderException(ProviderErrorKind.NotFound,
            $"The model '{name}' is not a configured route or alias, a provider/model of a configured provider, a catalog model " +
            "that a configured provider serves, or a model of a family (Switchboard:Routing:ModelFamilies) with a configured provider.");
    }

    private static bool AllListed(Route route)
    {
        foreach (var deployment in route.Deployments)
        {
            if (!deployment.IsListed)
            {
                return false;
            }
        }

        return true;
    }

    private Route? TryResolve(string name, int depth)
    {
        if (_routes.TryGetValue(name, out var route))
        {
            return route;
        }

        if (_aliases.TryGetValue(name, out var target))
        {
            return depth < MaxAliasDepth && !string.IsNullOrWhiteSpace(target) ? TryResolve(target.Trim(), depth + 1) : null;
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && TryDeployment(name[..slash], name[(slash + 1)..], out var exact))
        {
            return new Route(name, RoutingPolicyNames.Priority, [exact], new Dictionary<string, int>(), null) { IsAlias = false };
        }

        var bare = ServersOf(name).ToArray();
        if (bare.Length > 0)
        {
            return new Route(name, RoutingPolicyNames.Priority, bare, new Dictionary<string, int>(), null) { IsAlias = false };
        }

        var family = slash < 0 ? FamilyServersOf(name).ToArray() : [];
        return family.Length > 0
            ? new Route(name, RoutingPolicyNames.Priority, family, new Dictionary<string, int>(), null) { IsAlias = false }
            : null;
    }

    /// <summary>The provider type whose family pattern the model name matches, or null.</summary>
    public string? FamilyOf(string model)
    {
        foreach (var (type, patterns) in _families)
        {
            if (patterns.Any(p => ModelFamilyPattern.Matches(p, model)))
            {
                return type;
            }
        }

        return null;
    }

    // A model the catalog does not list, served by every configured native provider of its family that lists no models of its own.
    private IEnumerable<Deployment> FamilyServersOf(string model) =>
        FamilyOf(model) is { } family
            ? _providerTypes
                .Where(p => string.Equals(p.Value, family, StringComparison.OrdinalIgnoreCase) && _providers[p.Key].Models.Count == 0)
                .Select(p => Make(p.Key, p.Value, model))
            : [];

    private void AddRoute(Dictionary<string, Route> routes, string name, string policy, IReadOnlyList<string> targets,
        IDictionary<string, int> weights, TimeSpan? hedge, bool hedgeAtP95 = false)
    {
        var deployments = new List<Deployment>();
        var weightByDeployment = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var target in targets)
        {
            var slash = target.IndexOf('/', StringComparison.Ordinal);
            var found = slash > 0
                ? ResolveTarget(target[..slash], target[(slash + 1)..])
                : ServersOf(target);
            foreach (var deployment in found.Where(d => !deployments.Contains(d)))
            {
                deployments.Add(deployment);
                weightByDeployment[deployment.Name] = weights.TryGetValue(target, out var w) ? w : 1;
            }
        }

        if (deployments.Count > 0)
        {
            routes[name] = new Route(name, policy, deployments, weightByDeployment, hedge) { HedgeAtP95 = hedgeAtP95 };
        }
        else
        {
            routes.Remove(name);
        }
    }

    // A target's provider part is a configured provider name, or else a provider type served by configured providers.
    private Deployment[] ResolveTarget(string provider, string model)
    {
        if (TryDeployment(provider, model, out var exact))
        {
            return [exact];
        }

        return _providerTypes
            .Where(p => string.Equals(CatalogProviderFor(p.Value), provider, StringComparison.OrdinalIgnoreCase) && Serves(p.Key, p.Value, model))
            .Select(p => Make(p.Key, p.Value, model))
            .ToArray();
    }

    private bool TryDeployment(string provider, string model, out Deployment deployment)
    {
        if (_providerTypes.TryGetValue(provider, out var type) && model.Length > 0)
        {
            deployment = Make(provider, type, model);
            return true;
        }

        deployment = null!;
        return false;
    }

    private IEnumerable<Deployment> ServersOf(string model) =>
        _providerTypes
            .Where(p => Serves(p.Key, p.Value, model))
            .Select(p => Make(p.Key, p.Value, model));

    // Native providers serve their catalog models; OpenAI-compatible and Azure ones serve what they list.
    private bool Serves(string provider, string type, string model)
    {
        var listed = _providers[provider].Models;
        if (listed.Count > 0)
        {
            return listed.Contains(model, StringComparer.OrdinalIgnoreCase);
        }

        return type is ProviderTypes.OpenAI or ProviderTypes.Anthropic or ProviderTypes.Gemini
            && _catalog.Find(type, model) is not null;
    }

    private Deployment Make(string provider, string type, string model)
    {
        var info = _catalog.Find(CatalogProviderFor(type), model);
        return new(provider, type, model, info)
        {
            Price = info ?? _unpriced?.For(type, model),
            ServerAddress = (_providers[provider].BaseUrl ?? ProviderDefaults.BaseUrlFor(type))?.Host,
            IsListed = info is not null || _providers[provider].Models.Contains(model, StringComparer.OrdinalIgnoreCase)
                || _routeTargets.Contains(provider + "/" + model),
        };
    }

    /// <summary>The catalog's provider for a protocol: OpenAI-compatible and Azure servers price as OpenAI models.</summary>
    public static string CatalogProviderFor(string type) =>
        type is ProviderTypes.OpenAICompatible or ProviderTypes.AzureOpenAI ? ProviderTypes.OpenAI : type;
}
