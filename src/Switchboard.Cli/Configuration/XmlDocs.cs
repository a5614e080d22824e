using System.Reflection;
using System.Text;
using System.Xml.Linq;

namespace Switchboard.Cli.Configuration;

/// <summary>The <c>&lt;summary&gt;</c> texts of the XML documentation files shipped beside assemblies, as plain text.</summary>
internal sealed class XmlDocs
{
    private readonly Dictionary<string, string> _summaries = new(StringComparer.Ordinal);

    public static XmlDocs Load(params Assembly[] assemblies)
    {
        var docs = new XmlDocs();
        foreach (var assembly in assemblies)
        {
            var path = Path.ChangeExtension(assembly.Location, ".xml");
            if (!File.Exists(path))
            {
                continue;
            }

            foreach (var member in XDocument.Load(path).Descendants("member"))
            {
                if (member.Attribute("name")?.Value is { } name && member.Element("summary") is { } summary)
                {
                    docs._summaries[name] = Flatten(summary);
                }
            }
        }

        return docs;
    }

    public string? Summary(MemberInfo member)
    {
        var id = member switch
        {
            Type type => "T:" + Name(type),
            PropertyInfo property => "P:" + Name(property.DeclaringType!) + "." + property.Name,
            _ => null,
        };
        return id is not null && _summaries.TryGetValue(id, out var text) ? text : null;
    }

    private static string Name(Type type) => (type.FullName ?? type.Name).Replace('+', '.');

    /// <summary>Text of a summary with <c>&lt;c&gt;</c> kept as text and <c>&lt;see cref&gt;</c> as the referenced name.</summary>
    private static string Flatten(XElement summary)
    {
        var text = new StringBuilder();
        foreach (var node in summary.DescendantNodes())
        {
            if (node is XText t)
            {
                text.Append(t.Value);
            }
            else if (node is XElement { Name.LocalName: "see" or "seealso" } see && !see.Nodes().Any())
            {
                var reference = see.Attribute("cref")?.Value ?? see.Attribute("langword")?.Value ?? see.Attribute("href")?.Value ?? "";
                text.Append(reference[(reference.LastIndexOf('.') + 1)..]);
            }
        }

        return string.Join(' ', text.ToString().Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
    }
}
