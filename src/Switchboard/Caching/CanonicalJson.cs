using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchboard.Caching;

/// <summary>
/// Writes JSON values in a canonical form for hashing: object properties sorted by name (ordinal), arrays in order,
/// numbers as written. Two schemas or argument objects that differ only in property order therefore hash the same.
/// </summary>
internal static class CanonicalJson
{
    public static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = new List<JsonProperty>();
                foreach (var property in element.EnumerateObject())
                {
                    properties.Add(property);
                }

                properties.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                writer.WriteStartObject();
                foreach (var property in properties)
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            case JsonValueKind.Number:
                writer.WriteRawValue(element.GetRawText(), skipInputValidation: true);
                break;
            case JsonValueKind.True:
                writer.WriteBooleanValue(true);
                break;
            case JsonValueKind.False:
                writer.WriteBooleanValue(false);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    /// <summary>Writes a primitive or <see cref="JsonElement"/>; false for any other type.</summary>
    public static bool TryWritePrimitive(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                return true;
            case JsonElement element:
                Write(writer, element);
                return true;
            case string s:
                writer.WriteStringValue(s);
                return true;
            case bool b:
                writer.WriteBooleanValue(b);
                return true;
            case int or long or short or byte or sbyte or uint or ushort:
                writer.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                return true;
            case ulong u:
                writer.WriteNumberValue(u);
                return true;
            case float or double:
                writer.WriteNumberValue(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                return true;
            case decimal d:
                writer.WriteNumberValue(d);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Writes any value: primitives directly, other objects through Microsoft.Extensions.AI's JSON options; false if it cannot be serialized.</summary>
    public static bool TryWriteAny(Utf8JsonWriter writer, object? value)
    {
        if (TryWritePrimitive(writer, value))
        {
            return true;
        }

        try
        {
            var element = JsonSerializer.SerializeToElement(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value!.GetType()));
            Write(writer, element);
            return true;
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or JsonException)
        {
            return false;
        }
    }
}
