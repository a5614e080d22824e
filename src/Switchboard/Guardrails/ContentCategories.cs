using System.Text.RegularExpressions;

namespace Switchboard.Guardrails;

/// <summary>
/// The built-in deny categories: patterns for plainly harmful requests and answers (how-to for weapons, malware,
/// self-harm methods, direct threats). A starting point: add <c>InputPatterns</c> / <c>OutputPatterns</c> or the
/// moderation call for anything broader.
/// </summary>
public static partial class ContentCategories
{
    public const string Weapons = "weapons";
    public const string Malware = "malware";
    public const string SelfHarm = "self-harm";
    public const string Violence = "violence";

    public static IReadOnlyDictionary<string, Regex> All { get; } = new Dictionary<string, Regex>(StringComparer.OrdinalIgnoreCase)
    {
        [Weapons] = WeaponsPattern(),
        [Malware] = MalwarePattern(),
        [SelfHarm] = SelfHarmPattern(),
        [Violence] = ViolencePattern(),
    };

    [GeneratedRegex(@"\b(how (do i|to|can i|would i)|steps to|instructions (for|to)|recipe for|guide to)\s+(make|build|assemble|synthesi[sz]e|produce|cook)\s+(a |an |some )?(pipe ?bomb|bomb|explosives?|napalm|molotov( cocktail)?|nerve agent|sarin|ricin|mustard gas|thermite charge|ghost gun|untraceable (gun|firearm))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WeaponsPattern();

    [GeneratedRegex(@"\b(write|create|build|code|develop|generate)\s+(me\s+)?(a |an |some )?(working |functional |undetectable )?(ransomware|keylogger|credential[- ]stealer|password stealer|botnet|rootkit|self-propagating worm|crypto-?locker)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MalwarePattern();

    [GeneratedRegex(@"\b(how (do i|to|can i)|best way to|painless way to|easiest way to)\s+(kill myself|end my (own )?life|commit suicide|hurt myself|overdose)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SelfHarmPattern();

    [GeneratedRegex(@"\b(i('m| am)? (going to|gonna)|i will|i'll)\s+(kill|murder|shoot|stab|hurt)\s+(you|him|her|them|my (boss|wife|husband|neighbou?r|teacher))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ViolencePattern();
}
