using Microsoft.AspNetCore.Http;

namespace Switchboard.Gateway.Http;

/// <summary>
/// Base URLs as users write them: an OpenAI-style client given the gateway's root instead of <c>…/v1</c> asks for
/// <c>/chat/completions</c>, and an Anthropic-style client given <c>…/v1</c> (its SDK adds <c>/v1</c> itself) asks for
/// <c>/v1/v1/messages</c>. Both are served as the <c>/v1/…</c> path they meant, before routing; Gemini's
/// <c>/v1beta/…</c> and the gateway's own paths are left alone, and anything else still answers the naming 404.
/// </summary>
internal static class BasePathAliases
{
    private static readonly PathString V1 = "/v1";
    private static readonly PathString[] OpenAIPaths = ["/chat/completions", "/responses", "/embeddings", "/models", "/messages"];

    /// <summary>The <c>/v1/…</c> path <paramref name="path"/> stands for, or null when it is served as it is.</summary>
    public static PathString? Canonical(PathString path)
    {
        if (path.StartsWithSegments(V1, out var rest))
        {
            // Not "? rest : null": PathString converts from a null string, so that would be an empty path, not no path.
            if (rest.StartsWithSegments(V1))
            {
                return rest;
            }

            return null;
        }

        foreach (var prefix in OpenAIPaths)
        {
            if (path.StartsWithSegments(prefix))
            {
                return V1.Add(path);
            }
        }

        return null;
    }

    public static Task RewriteAsync(HttpContext http, RequestDelegate next)
    {
        if (Canonical(http.Request.Path) is { } canonical)
        {
            http.Request.Path = canonical;
        }

        return next(http);
    }
}
