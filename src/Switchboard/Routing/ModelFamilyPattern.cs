namespace Switchboard.Routing;

/// <summary>Matches a model name against a family pattern: <c>*</c> any characters, <c>#</c> one digit, anything else itself (case-insensitive).</summary>
internal static class ModelFamilyPattern
{
    public static bool Matches(string pattern, string name) => Matches(pattern.AsSpan(), name.AsSpan());

    private static bool Matches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> name)
    {
        while (pattern.Length > 0)
        {
            var p = pattern[0];
            if (p == '*')
            {
                var rest = pattern[1..];
                for (var skip = 0; skip <= name.Length; skip++)
                {
                    if (Matches(rest, name[skip..]))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (name.Length == 0)
            {
                return false;
            }

            var ok = p == '#' ? char.IsAsciiDigit(name[0]) : char.ToLowerInvariant(p) == char.ToLowerInvariant(name[0]);
            if (!ok)
            {
                return false;
            }

            pattern = pattern[1..];
            name = name[1..];
        }

        return name.Length == 0;
    }
}
