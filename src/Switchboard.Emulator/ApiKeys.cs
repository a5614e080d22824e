using Microsoft.AspNetCore.Http;

namespace Switchboard.Emulator;

/// <summary>Finds the API key the way each provider takes it: Bearer, x-api-key, x-goog-api-key, api-key or ?key=.</summary>
internal static class ApiKeys
{
    public static string? Find(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        foreach (var header in (string[])["x-api-key", "x-goog-api-key", "api-key"])
        {
            if (request.Headers[header].ToString() is { Length: > 0 } value)
            {
                return value;
            }
        }

        return request.Query["key"].ToString() is { Length: > 0 } key ? key : null;
    }
}
