using System.Collections.Frozen;
using System.Text.Json;

namespace Switchboard.Pricing;

/// <summary>
/// The models Switchboard knows, with prices and limits: the embedded <c>models.json</c>, overridden
/// model by model by configuration (<c>Switchboard:Catalog</c>) or by a user file.
/// </summary>
public sealed class ModelCatalog
{
    private readonly FrozenDictionary<string, ModelInfo> _byKey;
    private readonly FrozenDictionary<string, ModelInfo[]> _byName;

    public ModelCatalog(IEnumerable<ModelInfo> models, IReadOnlyDictionary<string, IReadOnlyList<string>>? defaultRoutes = null,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? embeddingRoutes = null)
    {
        DefaultRoutes = defaultRoutes ?? new Dictionary<string, IReadOnlyList<string>>();
        EmbeddingRoutes = embeddingRoutes ?? new Dictionary<string, IReadOnlyList<string>>();
        var list = new List<ModelInfo>();
        var byKey = new Dictionary<string, ModelInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var model in models)
        {
            // Later entries override earlier ones with the same provider and id.
            var key = Key(model.Provider, model.Id);
            if (byKey.TryGetValue(key, out var existing))
            {
                list.Remove(existing);
            }

            byKey[key] = model;
            list.Add(model);
        }

        foreach (var model in list)
        {
            foreach (var alias in model.Aliases ?? [])
            {
                byKey.TryAdd(Key(model.Provider, alias), model);
            }
        }

        Models = list;
        _byKey = byKey.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _byName = list
            .SelectMany(m => (m.Aliases ?? []).Prepend(m.Id).Select(name => (name, m)))
            .GroupBy(x => x.name, StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(g => g.Key, g => g.Select(x => x.m).Distinct().ToArray(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The routes shipped with the catalog (<c>smart</c>, <c>fast</c>, <c>auto</c>): ordered <c>providerType/model</c> targets,
    /// used for every route the configuration does not define itself.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> DefaultRoutes { get; }

    /// <summary>
    /// The embedding routes shipped with the catalog (<c>embedding</c>, <c>embedding-large</c>): ordered <c>providerType/model</c>
    /// targets of embedding models, resolved by the embedding router only (a chat request never sees them).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> EmbeddingRoutes { get; }

    /// <summary>Every model, in catalog order.</summary>
    public IReadOnlyList<ModelInfo> Models { get; }

    /// <summary>The model a provider protocol serves under this id or alias, or null.</summary>
    /// <remarks>Looked up by a <c>provider/id</c> key built on the stack (every provider adapter asks once per request).</remarks>
    public ModelInfo? Find(string providerType, string modelId)
    {
        var length = providerType.Length + 1 + modelId.Length;
        if (length > MaxStackKeyChars)
        {
            return _byKey.TryGetValue(Key(providerType, modelId), out var found) ? found : null;
        }

        Span<char> key = stackalloc char[length];
        providerType.CopyTo(key);
        key[providerType.Length] = '/';
        modelId.CopyTo(key[(providerType.Length + 1)..]);
        return _byKey.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(key, out var model) ? model : null;
    }

    private const int MaxStackKeyChars = 256;

    /// <summary>Every model known under this id or alias, whatever the provider.</summary>
    public IReadOnlyList<ModelInfo> FindByName(string modelId) =>
        _byName.TryGetValue(modelId, out var models) ? models : [];

    /// <summary>The catalog shipped inside the library.</summary>
    public static ModelCatalog LoadEmbedded() => Create(null);

    /// <summary>The embedded models, then <paramref name="overrides"/> replacing or adding by provider and id.</summary>
    public static ModelCatalog Create(IEnumerable<ModelInfo>? overrides)
    {
        var embedded = ReadEmbedded();
        return new(embedded.Models.Concat(overrides ?? []), embedded.Routes, embedded.EmbeddingRoutes);
    }

    internal static CatalogFile ReadEmbedded()
    {
        using var stream = typeof(ModelCatalog).Assembly.GetManifestResourceStream("Switchboard.Pricing.models.json")
            ?? throw new InvalidOperationException("The embedded model catalog is missing.");
        return Read(stream);
    }

    /// <summary>Reads the models of a catalog file: <c>{"models": [ ... ]}</c>.</summary>
    public static IReadOnlyList<ModelInfo> Parse(Stream json) => Read(json).Models;

    private static CatalogFile Read(Stream json) =>
        JsonSerializer.Deserialize(json, PricingJsonContext.Default.CatalogFile)
            ?? throw new InvalidDataException("The model catalog is empty.");

    private static string Key(string provider, string id) => provider + "/" + id;
}
