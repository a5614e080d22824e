using System.Net;
using System.Net.Sockets;

namespace Switchboard.Guardrails;

/// <summary>Validity checks that keep ordinary numbers from being taken for personal data.</summary>
internal static class PiiChecks
{
    /// <summary>The Luhn checksum of a card number (digits only, 13–19 of them) and a known issuer prefix.</summary>
    public static bool IsCard(ReadOnlySpan<char> digits)
    {
        if (digits.Length is < 13 or > 19 || !IsIssuer(digits))
        {
            return false;
        }

        var sum = 0;
        var doubled = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubled)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubled = !doubled;
        }

        return sum % 10 == 0;
    }

    // Visa 4, Mastercard 51–55 and 2221–2720, Amex 34/37, Discover 6011/65/644–649, Diners 36/38/300–305, JCB 35, UnionPay 62.
    private static bool IsIssuer(ReadOnlySpan<char> d) => d[0] switch
    {
        '4' => true,
        '5' => d[1] is >= '1' and <= '5',
        '2' => int.Parse(d[..4]) is >= 2221 and <= 2720,
        '3' => d[1] is '4' or '5' or '6' or '7' or '8' or '0',
        '6' => d[1] is '5' or '2' || d[..4] is "6011" || d[..3] is "644" or "645" or "646" or "647" or "648" or "649",
        _ => false,
    };

    /// <summary>ISO 13616 IBAN: country letters, two check digits, and the whole passing mod 97 == 1.</summary>
    public static bool IsIban(string compact)
    {
        if (compact.Length is < 15 or > 34 || !char.IsAsciiLetterUpper(compact[0]) || !char.IsAsciiLetterUpper(compact[1]) ||
            !char.IsAsciiDigit(compact[2]) || !char.IsAsciiDigit(compact[3]))
        {
            return false;
        }

        var remainder = 0;
        var rearranged = compact[4..] + compact[..4];
        foreach (var c in rearranged)
        {
            if (char.IsAsciiDigit(c))
            {
                remainder = ((remainder * 10) + (c - '0')) % 97;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                remainder = ((remainder * 100) + (c - 'A' + 10)) % 97;
            }
            else
            {
                return false;
            }
        }

        return remainder == 1;
    }

    /// <summary>A US SSN as the SSA issues them: area not 000, 666 or 900–999; group not 00; serial not 0000.</summary>
    public static bool IsSsn(ReadOnlySpan<char> area, ReadOnlySpan<char> group, ReadOnlySpan<char> serial)
    {
        var a = int.Parse(area);
        return a is not (0 or 666) && a < 900 && int.Parse(group) != 0 && int.Parse(serial) != 0;
    }

    /// <summary>An IPv6 address with enough hex digits not to be a time of day or a ratio.</summary>
    public static bool IsIpv6(string candidate) =>
        IPAddress.TryParse(candidate, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6 &&
        candidate.Count(char.IsAsciiHexDigit) >= 6;

    /// <summary>A phone number: 10–15 digits and not grouped like a thousands-separated amount (3-3-3).</summary>
    public static bool IsPhone(string candidate)
    {
        var digits = candidate.Count(char.IsAsciiDigit);
        if (digits is < 10 or > 15)
        {
            return false;
        }

        if (candidate.Length == 11 && candidate[3] == '-' && candidate[6] == '-')
        {
            return false; // 3-2-4 is the shape of an SSN, not of a phone number
        }

        if (candidate.StartsWith('+') || candidate.Contains('('))
        {
            return true;
        }

        var groups = candidate.Split([' ', '-', '.'], StringSplitOptions.RemoveEmptyEntries);
        var separators = candidate.Where(c => c is ' ' or '-' or '.').Distinct().Count();
        return separators == 1 && !groups.Skip(1).All(g => g.Length == 3);
    }
}
