using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>
/// Turns a valid JSON request body into a hostile variant, deterministically from a seed: type swaps, truncation,
/// unicode edge cases (lone surrogates, raw invalid UTF-8, NUL, BOM), huge, tiny and negative numbers, NaN/Infinity
/// literals, deep nesting, duplicate keys, dropped keys, very long strings. Bodies are written as raw text, so they can
/// hold what a JSON library would refuse to write.
/// </summary>
public sealed class JsonMutator
{
    private static readonly string[] HostileStrings =
    [
        "\"\\ud800\"", "\"\\udfff\"", "\"a\\ud800b\"", "\"\\udc00\\ud800\"", "\"\\ud800\\u0041\"", "\"\\u0000\"", "\"\\uffff\"",
        "\"\\ufeff\"", "\"\\u202e\"", "\"\"", "\" \"", "\"\\n\\t\"", "\"💥\"", "\"\\ud83d\\udca5\"", "\"auto\"", "\"openai/\"", "\"/\"",
        "\"anthropic/zz\"", "\"openai/some-unknown-model\"", "\"user\"", "\"tool\"", "\"function\"", "\"text\"", "\"image_url\"",
        "\"data:image/png;base64,!!\"", "\"http://\"", "\"%\"",
    ];

    private static readonly string[] HostileNumbers =
    [
        "1e400", "-1e400", "1e-400", "9223372036854775808", "-9223372036854775809", "18446744073709551616", "2147483648",
        "-2147483649", "-1", "0", "-0", "1.5", "-0.0", "3.4028236e38", "1E+308", "123456789012345678901234567890", "0.1e1", "100",
    ];

    private static readonly string[] InvalidLiterals = ["NaN", "Infinity", "-Infinity", "+1", "01", ".5", "1.", "0x10", "undefined", "True", "nul"];

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82], [0x80], [0xF4, 0x90, 0x80, 0x80],
    ];

    private readonly Random _random;

    public JsonMutator(int seed) => _random = new Random(seed);

    /// <summary>One mutated body from <paramref name="valid"/> (a valid JSON document).</summary>
    public byte[] Mutate(string valid)
    {
        using var document = JsonDocument.Parse(valid);
        var tree = Node.From(document.RootElement);
        var rounds = 1 + _random.Next(3);
        for (var i = 0; i < rounds; i++)
        {
            MutateTree(tree);
        }

        var bytes = Encoding.UTF8.GetBytes(tree.Write());
        return _random.Next(10) switch
        {
            0 => bytes[..Math.Max(0, _random.Next(bytes.Length))],
            1 => Splice(bytes, InvalidUtf8[_random.Next(InvalidUtf8.Length)]),
            _ => bytes,
        };
    }

    private byte[] Splice(byte[] bytes, byte[] insert)
    {
        // Inside a string where possible, so the parser meets the bytes in a value, not between tokens.
        var quotes = Enumerable.Range(0, bytes.Length).Where(i => bytes[i] == (byte)'"').ToArray();
        var at = quotes.Length > 0 ? quotes[_random.Next(quotes.Length)] + 1 : _random.Next(bytes.Length + 1);
        return [.. bytes[..at], .. insert, .. bytes[at..]];
    }

    private void MutateTree(Node root)
    {
        var all = new List<Node>();
        root.Collect(all);
        var target = all[_random.Next(all.Count)];
        switch (_random.Next(9))
        {
            case 0:
                target.Replace(RandomValue(depth: 0));
                break;
            case 1:
                target.Replace(Node.Raw(HostileStrings[_random.Next(HostileStrings.Length)]));
                break;
            case 2:
                target.Replace(Node.Raw(HostileNumbers[_random.Next(HostileNumbers.Length)]));
                break;
            case 3:
                target.Replace(Node.Raw(InvalidLiterals[_random.Next(InvalidLiterals.Length)]));
                break;
            case 4:
                target.Replace(Nest(target.Clone(), _random.Next(2) == 0 ? 20 + _random.Next(60) : 120 + _random.Next(200)));
                break;
            case 5:
                var obj = all.Where(n => n.Kind == NodeKind.Object && n.Members.Count > 0).ToList();
                if (obj.Count > 0)
                {
                    var o = obj[_random.Next(obj.Count)];
                    var member = o.Members[_random.Next(o.Members.Count)];
                    o.Members.Insert(_random.Next(o.Members.Count + 1), (member.Key, _random.Next(2) == 0 ? member.Value.Clone() : RandomValue(0)));
                }

                break;
            case 6:
                var owners = all.Where(n => n.Kind == NodeKind.Object && n.Members.Count > 0).ToList();
                if (owners.Count > 0)
                {
                    var o = owners[_random.Next(owners.Count)];
                    o.Members.RemoveAt(_random.Next(o.Members.Count));
                }

                break;
            case 7:
                target.Replace(Node.Raw(JsonString(new string((char)('a' + _random.Next(26)), 1 + _random.Next(5000)))));
                break;
            default:
                var objects = all.Where(n => n.Kind == NodeKind.Object).ToList();
                if (objects.Count == 0)
                {
                    break;
                }

                var into = objects[_random.Next(objects.Count)];
                var key = _random.Next(3) == 0 ? HostileStrings[_random.Next(HostileStrings.Length)] : JsonString("x" + _random.Next(100));
                into.Members.Add((key, RandomValue(0)));
                break;
        }
    }

    private Node Nest(Node inner, int depth)
    {
        var node = inner;
        for (var i = 0; i < depth; i++)
        {
            node = _random.Next(2) == 0 ? Node.Array([node]) : Node.Object([(JsonString("k"), node)]);
        }

        return node;
    }

    private Node RandomValue(int depth) => _random.Next(depth > 2 ? 6 : 8) switch
    {
        0 => Node.Raw("null"),
        1 => Node.Raw(_random.Next(2) == 0 ? "true" : "false"),
        2 => Node.Raw(HostileNumbers[_random.Next(HostileNumbers.Length)]),
        3 => Node.Raw(_random.Next(1000).ToString(CultureInfo.InvariantCulture)),
        4 => Node.Raw(HostileStrings[_random.Next(HostileStrings.Length)]),
        5 => Node.Raw(JsonString("s" + _random.Next(1000))),
        6 => Node.Array([RandomValue(depth + 1), RandomValue(depth + 1)]),
        _ => Node.Object([(JsonString("type"), RandomValue(depth + 1)), (JsonString("text"), RandomValue(depth + 1))]),
    };

    private static string JsonString(string text) => JsonSerializer.Serialize(text);

    private enum NodeKind { Raw, Object, Array }

    /// <summary>A JSON value as raw text (leaves) or as members / items that may hold duplicates and invalid escapes.</summary>
    private sealed class Node
    {
        public NodeKind Kind { get; private set; }
        public string Text { get; private set; } = "";
        public List<(string Key, Node Value)> Members { get; private set; } = [];
        public List<Node> Items { get; private set; } = [];

        public static Node Raw(string text) => new() { Kind = NodeKind.Raw, Text = text };

        public static Node Array(List<Node> items) => new() { Kind = NodeKind.Array, Items = items };

        public static Node Object(List<(string, Node)> members) => new() { Kind = NodeKind.Object, Members = members };

        public static Node From(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Object => Object(e.EnumerateObject().Select(p => (JsonString(p.Name), From(p.Value))).ToList()),
            JsonValueKind.Array => Array(e.EnumerateArray().Select(From).ToList()),
            _ => Raw(e.GetRawText()),
        };

        public void Replace(Node other)
        {
            Kind = other.Kind;
            Text = other.Text;
            Members = other.Members;
            Items = other.Items;
        }

        public Node Clone() => Kind switch
        {
            NodeKind.Object => Object(Members.Select(m => (m.Key, m.Value.Clone())).ToList()),
            NodeKind.Array => Array(Items.Select(i => i.Clone()).ToList()),
            _ => Raw(Text),
        };

        public void Collect(List<Node> into)
        {
            into.Add(this);
            foreach (var (_, value) in Members)
            {
                value.Collect(into);
            }

            foreach (var item in Items)
            {
                item.Collect(into);
            }
        }

        public string Write()
        {
            var builder = new StringBuilder();
            Write(builder);
            return builder.ToString();
        }

        private void Write(StringBuilder builder)
        {
            switch (Kind)
            {
                case NodeKind.Object:
                    builder.Append('{');
                    for (var i = 0; i < Members.Count; i++)
                    {
                        builder.Append(i == 0 ? "" : ",").Append(Members[i].Key).Append(':');
                        Members[i].Value.Write(builder);
                    }

                    builder.Append('}');
                    break;
                case NodeKind.Array:
                    builder.Append('[');
                    for (var i = 0; i < Items.Count; i++)
                    {
                        builder.Append(i == 0 ? "" : ",");
                        Items[i].Write(builder);
                    }

                    builder.Append(']');
                    break;
                default:
                    builder.Append(Text);
                    break;
            }
        }
    }
}
