namespace Switchboard.Providers;

/// <summary>
/// One rule for every provider's base URL: a base whose last path segment names an API version (<c>/v1</c>,
/// <c>/v1beta</c>) is used as the versioned root; any other base gets the provider's default version appended. So
/// <c>https://api.openai.com/v1</c> (how OpenAI's SDKs and <c>OPENAI_BASE_URL</c> write it) and
/// <c>https://api.anthropic.com</c> (how Anthropic's and Google's SDKs write theirs) both work, and so do the other forms.
/// </summary>
internal static class ProviderBaseUrl
{
    /// <summary>The versioned root, ending in <c>/</c>: <paramref name="baseUrl"/> itself if it names a version, else with <paramref name="defaultVersion"/> appended.</summary>
    public static string VersionedRoot(Uri baseUrl, string defaultVersion)
    {
        var root = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl.AbsoluteUri : baseUrl.AbsoluteUri + "/";
        return NamesVersion(baseUrl) ? root : root + defaultVersion + "/";
    }

    /// <summary>Whether the URL's last path segment is a version: <c>v</c>, digits, then optionally <c>alpha</c>/<c>beta</c> and digits.</summary>
    public static bool NamesVersion(Uri baseUrl)
    {
        var path = baseUrl.AbsolutePath.TrimEnd('/');
        var segment = path[(path.LastIndexOf('/') + 1)..];
        if (segment.Length < 2 || segment[0] is not ('v' or 'V') || !char.IsAsciiDigit(segment[1]))
        {
            return false;
        }

        var i = 1;
        while (i < segment.Length && char.IsAsciiDigit(segment[i]))
        {
            i++;
        }

        var rest = segment[i..].TrimEnd("0123456789".ToCharArray());
        return rest.Length == 0 || rest.Equals("alpha", StringComparison.OrdinalIgnoreCase) || rest.Equals("beta", StringComparison.OrdinalIgnoreCase);
    }
}
