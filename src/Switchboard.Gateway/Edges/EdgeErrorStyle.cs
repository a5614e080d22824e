using System.Globalization;
using System.Text.Json;

namespace Switchboard.Gateway.Edges;

/// <summary>The JSON types a request field may be expected to have.</summary>
internal enum EdgeJsonType { Number, Integer, String, Boolean, Object, Array }

/// <summary>How one client protocol words validation errors and writes field paths (OpenAI <c>messages[0].role</c>, Anthropic <c>messages.0.role</c>).</summary>
internal sealed class EdgeErrorStyle
{
    /// <summary>OpenAI's wording: <c>Invalid type for 'temperature': expected a decimal, but got a string instead.</c></summary>
    public static readonly EdgeErrorStyle OpenAI = new(anthropic: false);

    /// <summary>Anthropic's (pydantic) wording: <c>temperature: Input should be a valid number</c>.</summary>
    public static readonly EdgeErrorStyle Anthropic = new(anthropic: true);

    private readonly bool _anthropic;

    private EdgeErrorStyle(bool anthropic) => _anthropic = anthropic;

    public string Member(string? path, string name) => path is null ? name : $"{path}.{name}";

    public string Index(string path, int index) =>
        _anthropic ? $"{path}.{index.ToString(CultureInfo.InvariantCulture)}" : $"{path}[{index.ToString(CultureInfo.InvariantCulture)}]";

    public EdgeRequestException Missing(string path) => _anthropic
        ? new($"{path}: Field required", path)
        : new($"Missing required parameter: '{path}'.", path);

    public EdgeRequestException WrongType(string path, EdgeJsonType expected, JsonElement actual) => _anthropic
        ? new($"{path}: Input should be a valid {AnthropicName(expected)}", path)
        : new($"Invalid type for '{path}': expected {OpenAIName(expected)}, but got {Describe(actual)} instead.", path);

    public EdgeRequestException OutOfRange(string path, bool integer, bool above, double limit, double actual)
    {
        var limitText = limit.ToString(CultureInfo.InvariantCulture);
        if (_anthropic)
        {
            return new($"{path}: Input should be {(above ? "less" : "greater")} than or equal to {limitText}", path);
        }

        return new($"Invalid '{path}': {(integer ? "integer" : "decimal")} {(above ? "above maximum" : "below minimum")} value. " +
            $"Expected a value {(above ? "<=" : ">=")} {limitText}, but got {actual.ToString(CultureInfo.InvariantCulture)} instead.", path);
    }

    /// <summary>Any other problem with a field; <paramref name="detail"/> is a sentence about it.</summary>
    public EdgeRequestException Invalid(string path, string detail) => _anthropic
        ? new($"{path}: {detail}", path)
        : new($"Invalid '{path}': {detail}", path);

    private static string OpenAIName(EdgeJsonType type) => type switch
    {
        EdgeJsonType.Number => "a decimal",
        EdgeJsonType.Integer => "an integer",
        EdgeJsonType.String => "a string",
        EdgeJsonType.Boolean => "a boolean",
        EdgeJsonType.Object => "an object",
        _ => "an array",
    };

    private static string AnthropicName(EdgeJsonType type) => type switch
    {
        EdgeJsonType.Number => "number",
        EdgeJsonType.Integer => "integer",
        EdgeJsonType.String => "string",
        EdgeJsonType.Boolean => "boolean",
        EdgeJsonType.Object => "dictionary",
        _ => "list",
    };

    private static string Describe(JsonElement actual) => actual.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => actual.TryGetInt64(out _) ? "an integer" : "a decimal",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => "null",
    };
}
