using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Gateway.Edges.Responses;

/// <summary>
/// The client's tools by the flat function name sent to the provider: <c>custom</c> tools and functions inside a
/// <c>namespace</c> become plain functions, and their calls are mapped back with this table.
/// </summary>
internal sealed class ResponsesToolMap
{
    /// <summary>The longest function name every provider accepts (OpenAI and Anthropic: 64, <c>[a-zA-Z0-9_-]</c>).</summary>
    public const int MaxNameLength = 64;

    private readonly Dictionary<string, Entry> _byFlatName = new(StringComparer.Ordinal);
    private readonly Dictionary<(string? Namespace, string Name), string> _byClientName = [];

    /// <summary>One bridged tool: its kind, the client's name and namespace.</summary>
    public sealed record Entry(ResponsesToolKind Kind, string Name, string? Namespace);

    public int Count => _byFlatName.Count;

    /// <summary>Registers a tool and returns the flat name to send upstream (<c>namespace__name</c> for a namespaced function).</summary>
    public string Add(ResponsesToolKind kind, string name, string? ns)
    {
        var flat = Flatten(name, ns);
        _byFlatName[flat] = new Entry(kind, name, ns);
        _byClientName[(ns, name)] = flat;
        return flat;
    }

    /// <summary>The flat name for a client's tool name (and namespace); the name itself when it is not registered.</summary>
    public string FlatName(string name, string? ns) =>
        _byClientName.TryGetValue((ns, name), out var flat) ? flat : Flatten(name, ns);

    /// <summary>The client's tool behind a flat name the provider called; a plain function when unknown.</summary>
    public Entry Resolve(string flatName) =>
        _byFlatName.TryGetValue(flatName, out var entry) ? entry : new Entry(ResponsesToolKind.Function, flatName, null);

    public bool IsCustom(string name, string? ns) =>
        _byClientName.TryGetValue((ns, name), out var flat) && _byFlatName[flat].Kind == ResponsesToolKind.Custom;

    private static string Flatten(string name, string? ns)
    {
        var flat = string.IsNullOrEmpty(ns) ? name : $"{ns}__{name}";
        if (flat.Length <= MaxNameLength)
        {
            return flat;
        }

        // Too long for providers: keep a readable prefix and make it unique with a hash of the full name.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(flat)))[..10];
        return $"{flat[..(MaxNameLength - 12)]}__{hash}";
    }
}
