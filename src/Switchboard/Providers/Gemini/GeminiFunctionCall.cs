using System.Text.Json;

namespace Switchboard.Providers.Gemini;

/// <summary>A <c>functionCall</c> part: arguments come whole, as an object; <c>id</c> is usually absent.</summary>
internal sealed class GeminiFunctionCall
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public JsonElement? Args { get; set; }
}
