using System.Text.RegularExpressions;

namespace Switchboard.Chat;

/// <summary>Removes credentials from text that may reach a caller or a log (provider error messages echo keys).</summary>
public static partial class SecretScrubber
{
    private const string Mask = "[redacted]";

    /// <summary>Replaces every known secret and anything shaped like a provider or Switchboard key.</summary>
    public static string Scrub(string? text, params ReadOnlySpan<string?> knownSecrets)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        foreach (var secret in knownSecrets)
        {
            if (!string.IsNullOrEmpty(secret) && secret.Length >= 4)
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return KeyShape().Replace(text, Mask);
    }

    // OpenAI (sk-, sk-proj-), Anthropic (sk-ant-), Google (AIza...), Switchboard virtual keys (sb-...), bearer tokens.
    [GeneratedRegex(@"(?:\bsk-[A-Za-z0-9_\-\*\.]{6,}|\bAIza[0-9A-Za-z_\-]{10,}|\bsb-[A-Za-z0-9_\-]{10,}|(?<=[Bb]earer\s)[A-Za-z0-9_\-\.\*]{8,})")]
    private static partial Regex KeyShape();
}
