namespace Switchboard.Providers;

/// <summary>Allow and deny lists of names: exact, or a prefix ending in <c>*</c> (<c>*</c> alone is every name). Deny wins.</summary>
public sealed class ProviderPassThroughList
{
    /// <summary>Names that pass (empty: the default list).</summary>
    public IList<string> Allow { get; } = [];

    /// <summary>Names that never pass, added to the default list.</summary>
    public IList<string> Deny { get; } = [];
}
