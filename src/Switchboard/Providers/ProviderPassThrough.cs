using System.Collections.Frozen;
using System.Text.Json;

namespace Switchboard.Providers;

/// <summary>
/// One upstream's effective pass-through rules: the built-in row of its type (<c>passthrough.json</c>, embedded) adjusted
/// by its <see cref="ProviderPassThroughOptions"/>. Decides which of the client's own top-level fields and
/// <c>anthropic-beta</c> values it receives.
/// </summary>
internal sealed class ProviderPassThrough
{
    private const string ResourceName = "Switchboard.Providers.passthrough.json";

    private static readonly Lazy<FrozenDictionary<string, (Rules Fields, Rules Betas)>> s_defaults = new(LoadDefaults);

    private readonly Rules _fields;
    private readonly Rules _betas;

    private ProviderPassThrough(Rules fields, Rules betas)
    {
        _fields = fields;
        _betas = betas;
    }

    /// <summary>The provider types whose upstreams receive client fields and betas as sent (the rows of the table).</summary>
    public static IEnumerable<string> Types => s_defaults.Value.Keys;

    /// <summary>The rules for a provider of <paramref name="type"/> configured with <paramref name="configured"/>.</summary>
    public static ProviderPassThrough For(string type, ProviderPassThroughOptions configured)
    {
        var (fields, betas) = s_defaults.Value.TryGetValue(type, out var row) ? row : (Rules.None, Rules.None);
        return new ProviderPassThrough(fields.With(configured.Fields), betas.With(configured.Betas));
    }

    /// <summary>Whether the top-level field <paramref name="name"/> may be sent as the client sent it.</summary>
    public bool AllowsField(string name) => _fields.Allows(name);

    /// <summary>The <c>anthropic-beta</c> value to send: <paramref name="sent"/> itself when every beta passes (byte for
    /// byte), else the passing ones comma-joined, or null when none does.</summary>
    public string? Betas(string sent)
    {
        var betas = sent.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var kept = Array.FindAll(betas, _betas.Allows);
        return kept.Length == betas.Length ? sent : kept.Length == 0 ? null : string.Join(',', kept);
    }

    /// <summary>Start-up errors in <paramref name="configured"/>, each naming its key under <paramref name="key"/> (the provider's).</summary>
    public static IEnumerable<string> Validate(string key, string type, ProviderPassThroughOptions configured)
    {
        var lists = new (string Name, IList<string> Values)[]
        {
            ("Fields:Allow", configured.Fields.Allow), ("Fields:Deny", configured.Fields.Deny),
            ("Betas:Allow", configured.Betas.Allow), ("Betas:Deny", configured.Betas.Deny),
        };
        var any = false;
        foreach (var (name, values) in lists)
        {
            for (var i = 0; i < values.Count; i++)
            {
                any = true;
                if (Problem(values[i]) is { } problem)
                {
                    yield return $"{key}:PassThrough:{name}:{i}: '{values[i]}' {problem}.";
                }
            }
        }

        if (any && !s_defaults.Value.ContainsKey(type))
        {
            yield return $"{key}:PassThrough: type {type} never receives the client's fields or betas as sent (only {string.Join(", ", Types)} does); " +
                "for OpenAI-protocol servers list rejected request fields in ExcludedParameters.";
        }
    }

    private static string? Problem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "must not be empty"
        : name.Any(c => char.IsWhiteSpace(c) || c == ',') ? "must not contain spaces or commas"
        : name.IndexOf('*', StringComparison.Ordinal) is >= 0 and var star && star != name.Length - 1 ? "may have '*' only at its end"
        : null;

    private static FrozenDictionary<string, (Rules, Rules)> LoadDefaults()
    {
        using var stream = typeof(ProviderPassThrough).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var rows = new Dictionary<string, (Rules, Rules)>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in document.RootElement.EnumerateObject())
        {
            rows[row.Name] = (Rules.Read(row.Value, "Fields"), Rules.Read(row.Value, "Betas"));
        }

        return rows.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Allow and deny patterns; a name passes when it matches an allow pattern and no deny pattern.</summary>
    private sealed record Rules(string[] Allow, string[] Deny)
    {
        public static readonly Rules None = new([], []);

        public static Rules Read(JsonElement row, string name) => row.TryGetProperty(name, out var lists)
            ? new Rules(Strings(lists, "Allow"), Strings(lists, "Deny"))
            : None;

        public Rules With(ProviderPassThroughList configured) =>
            new(configured.Allow.Count > 0 ? [.. configured.Allow] : Allow, [.. Deny, .. configured.Deny]);

        public bool Allows(string name) => Matches(Allow, name) && !Matches(Deny, name);

        private static bool Matches(string[] patterns, string name)
        {
            foreach (var pattern in patterns)
            {
                if (pattern.EndsWith('*') ? name.AsSpan().StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal) : pattern == name)
                {
                    return true;
                }
            }

            return false;
        }

        private static string[] Strings(JsonElement lists, string name) =>
            lists.TryGetProperty(name, out var array) ? [.. array.EnumerateArray().Select(e => e.GetString() ?? "")] : [];
    }
}
