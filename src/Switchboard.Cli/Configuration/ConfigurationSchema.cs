using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Switchboard.Budgets;
using Switchboard.Caching;
using Switchboard.Gateway.Edges.Responses.Storage;
using Switchboard.Gateway.Hosting;
using Switchboard.Guardrails;
using Switchboard.Hosting;
using Switchboard.Ledger;
using Switchboard.RateLimits;

namespace Switchboard.Cli.Configuration;

/// <summary>
/// The JSON schema of <c>switchboard.json</c>, generated from the options classes the configuration binds to
/// (<see cref="SwitchboardOptions"/> and the sections bound beside it), with their XML doc summaries as descriptions
/// and their <see cref="RangeAttribute"/> bounds. Committed as <c>schema/switchboard.schema.json</c>; a test
/// regenerates it and compares.
/// </summary>
internal static class ConfigurationSchema
{
    /// <summary>Where the committed schema lives, relative to the repository root.</summary>
    public const string RepositoryPath = "schema/switchboard.schema.json";

    /// <summary>The sections bound under <c>Switchboard</c> by other options classes than <see cref="SwitchboardOptions"/>.</summary>
    private static readonly (string Name, Type Type)[] SiblingSections =
    [
        ("Guardrails", typeof(GuardrailOptions)),
        ("Cache", typeof(CacheOptions)),
        ("RateLimits", typeof(RateLimitOptions)),
        ("Ledger", typeof(LedgerOptions)),
        ("Budgets", typeof(List<BudgetDefinition>)),
        ("Gateway", typeof(GatewayOptions)),
        ("Auth", typeof(AuthOptions)),
        ("Responses", typeof(ResponseStoreOptions)),
    ];

    /// <summary>The schema as indented JSON with a final newline.</summary>
    public static string Generate()
    {
        var docs = XmlDocs.Load(typeof(SwitchboardOptions).Assembly, typeof(GatewayOptions).Assembly);
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            RespectNullableAnnotations = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OnlyBindableProperties, AddSiblingSections } },
        };
        options.MakeReadOnly();
        var exporter = new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) => Describe(context, node, docs),
        };
        var schema = (JsonObject)options.GetJsonSchemaAsNode(typeof(ConfigurationFile), exporter);
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["title"] = "switchboard.json",
            ["description"] = "Switchboard configuration (generated from the options classes: switchboard config schema).",
        };
        foreach (var (key, value) in schema.ToList())
        {
            schema.Remove(key);
            root[key] = value;
        }

        var writer = new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return root.ToJsonString(writer).ReplaceLineEndings("\n") + "\n";
    }

    /// <summary>
    /// Keeps what Microsoft.Extensions.Configuration can bind: properties with a setter, and get-only properties of a
    /// reference type other than string (collections and nested options are filled in place).
    /// </summary>
    private static void OnlyBindableProperties(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        if (typeInfo.Type == typeof(ConfigurationFile))
        {
            typeInfo.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip; // Logging, urls, ... are welcome
        }

        for (var i = typeInfo.Properties.Count - 1; i >= 0; i--)
        {
            var property = typeInfo.Properties[i];
            var member = property.AttributeProvider as PropertyInfo;
            var populatable = !property.PropertyType.IsValueType && property.PropertyType != typeof(string);
            if (member is null || (member.SetMethod is not { IsPublic: true } && !populatable))
            {
                typeInfo.Properties.RemoveAt(i);
            }
            else if (member.SetMethod is not { IsPublic: true })
            {
                property.IsSetNullable = false; // filled in place: never null
            }
        }
    }

    private static void AddSiblingSections(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Type != typeof(SwitchboardOptions))
        {
            return;
        }

        foreach (var (name, type) in SiblingSections)
        {
            var property = typeInfo.CreateJsonPropertyInfo(type, name);
            property.Get = _ => null; // only the shape matters: the schema exporter lists readable, writable properties
            property.Set = (_, _) => { };
            property.IsGetNullable = false;
            property.IsSetNullable = false;
            typeInfo.Properties.Add(property);
        }
    }

    private static JsonNode Describe(JsonSchemaExporterContext context, JsonNode node, XmlDocs docs)
    {
        if (node is not JsonObject schema)
        {
            return node;
        }

        var member = context.PropertyInfo?.AttributeProvider as MemberInfo;
        var description = member is not null ? docs.Summary(member) : null;
        if (context.PropertyInfo is { Name: var name, DeclaringType: var declaring } && declaring == typeof(SwitchboardOptions) &&
            SiblingSections.Any(s => s.Name == name))
        {
            description = docs.Summary(SiblingSections.First(s => s.Name == name).Type);
        }
        else if (context.PropertyInfo is null && context.Path.IsEmpty)
        {
            description = null;
        }

        if (description is not null)
        {
            schema.Insert(0, "description", description);
        }

        if (member?.GetCustomAttribute<RangeAttribute>() is { } range)
        {
            schema["minimum"] = JsonValue.Create(Convert.ToDouble(range.Minimum, System.Globalization.CultureInfo.InvariantCulture));
            schema["maximum"] = JsonValue.Create(Convert.ToDouble(range.Maximum, System.Globalization.CultureInfo.InvariantCulture));
        }

        return schema;
    }

    /// <summary>The file's shape: a <c>$schema</c> reference and the <c>Switchboard</c> section.</summary>
    internal sealed class ConfigurationFile
    {
        [JsonPropertyName("$schema")]
        public string? Schema { get; set; }

        public SwitchboardOptions Switchboard { get; set; } = new();
    }
}
