using System.Text.Json;

namespace Switchboard.Gateway.Edges;

/// <summary>Reads typed fields of one JSON object in a request body, throwing <see cref="EdgeRequestException"/>
/// that names the field (its full path) in the client protocol's wording.</summary>
/// <remarks>
/// An array item's scope keeps its index beside its parent's path and builds the path text (<c>messages[2]</c>) only
/// when it is needed (an error, or a nested object's path): a valid request builds no path strings for its items.
/// </remarks>
internal readonly struct EdgeScope
{
    private readonly EdgeErrorStyle style;
    private readonly string? parent;
    private readonly int index;

    public EdgeScope(EdgeErrorStyle style, string? path)
    {
        this.style = style;
        parent = path;
        index = -1;
    }

    private EdgeScope(EdgeErrorStyle style, string? parent, int index)
    {
        this.style = style;
        this.parent = parent;
        this.index = index;
    }

    public EdgeErrorStyle Style => style;

    /// <summary>This object's path (null at the top level).</summary>
    public string? Path => index < 0 ? parent : style.Index(parent ?? string.Empty, index);

    public string PathOf(string name) => style.Member(Path, name);

    public EdgeScope At(string name) => new(style, PathOf(name));

    public EdgeScope At(int index) => new(style, Path, index);

    public EdgeRequestException Missing(string name) => style.Missing(PathOf(name));

    public EdgeRequestException Invalid(string name, string detail) => style.Invalid(PathOf(name), detail);

    /// <summary>The field when present and not null.</summary>
    public static bool TryGet(JsonElement obj, string name, out JsonElement value) =>
        obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    public JsonElement Require(JsonElement obj, string name) =>
        TryGet(obj, name, out var value) ? value : throw Missing(name);

    /// <summary>Checks the kind of a value found at <c>name</c> (numbers: any; integers: whole 64-bit values).</summary>
    public JsonElement Expect(JsonElement value, string name, EdgeJsonType type) =>
        IsKind(value, type) ? value : throw style.WrongType(PathOf(name), type, value);

    /// <summary>Checks the kind of the value this scope stands for (an array item).</summary>
    public JsonElement Self(JsonElement value, EdgeJsonType type) =>
        IsKind(value, type) ? value : throw style.WrongType(Path ?? string.Empty, type, value);

    private static bool IsKind(JsonElement value, EdgeJsonType type) => type switch
    {
        EdgeJsonType.Number => value.ValueKind == JsonValueKind.Number,
        EdgeJsonType.Integer => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        EdgeJsonType.String => value.ValueKind == JsonValueKind.String,
        EdgeJsonType.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        EdgeJsonType.Object => value.ValueKind == JsonValueKind.Object,
        _ => value.ValueKind == JsonValueKind.Array,
    };

    public double? Number(JsonElement obj, string name, double? min = null, double? max = null)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        var number = Expect(value, name, EdgeJsonType.Number).GetDouble();
        CheckRange(name, integer: false, number, min, max);
        return number;
    }

    public long? Integer(JsonElement obj, string name, long? min = null, long? max = null)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        var number = Expect(value, name, EdgeJsonType.Integer).GetInt64();
        CheckRange(name, integer: true, number, min, max);
        return number;
    }

    public string? String(JsonElement obj, string name) =>
        TryGet(obj, name, out var value) ? Expect(value, name, EdgeJsonType.String).GetString() : null;

    public string RequiredString(JsonElement obj, string name) =>
        Expect(Require(obj, name), name, EdgeJsonType.String).GetString()!;

    public bool? Boolean(JsonElement obj, string name) =>
        TryGet(obj, name, out var value) ? Expect(value, name, EdgeJsonType.Boolean).GetBoolean() : null;

    public JsonElement? Object(JsonElement obj, string name) =>
        TryGet(obj, name, out var value) ? Expect(value, name, EdgeJsonType.Object) : null;

    public JsonElement? Array(JsonElement obj, string name) =>
        TryGet(obj, name, out var value) ? Expect(value, name, EdgeJsonType.Array) : null;

    /// <summary>A list of strings from a string array field (each element checked).</summary>
    public List<string> Strings(JsonElement array, string name)
    {
        var list = new List<string>(array.GetArrayLength());
        var scope = At(name);
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            list.Add(item.ValueKind == JsonValueKind.String
                ? item.GetString()!
                : throw style.WrongType(style.Index(scope.Path!, i), EdgeJsonType.String, item));
            i++;
        }

        return list;
    }

    private void CheckRange(string name, bool integer, double number, double? min, double? max)
    {
        if (number < min)
        {
            throw style.OutOfRange(PathOf(name), integer, above: false, min.Value, number);
        }

        if (number > max)
        {
            throw style.OutOfRange(PathOf(name), integer, above: true, max.Value, number);
        }
    }
}
