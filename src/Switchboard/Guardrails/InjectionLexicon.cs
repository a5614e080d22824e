using System.Text.RegularExpressions;

namespace Switchboard.Guardrails;

/// <summary>
/// Compositional signals: each family is a co-occurrence, within one sentence, of word classes rather than a fixed
/// phrase, so paraphrases ("cancel all prior directives", "set aside your guidelines") are caught as well as the
/// famous wordings. Works on normalised, lower-cased text.
/// </summary>
internal static partial class InjectionLexicon
{
    /// <summary>The signals (name, weight) found in <paramref name="text"/>.</summary>
    public static IEnumerable<(string Name, double Weight)> Find(string text, bool fromTool)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        // Each family needs a pattern that, matching inside one sentence, also matches the whole text (a sentence is
        // a substring bounded by whitespace or the text's ends, so word boundaries agree): a family whose gate finds
        // nothing in the whole text cannot fire in any sentence, and benign text is never split at all.
        var overrides = DismissThenGuidance().IsMatch(text) || GuidanceThenVoid().IsMatch(text) || DismissPronoun().IsMatch(text);
        var unrestricted = Unrestricted().IsMatch(text) || Hypothetical().IsMatch(text) || ModeSwitch().IsMatch(text);
        var extraction = OwnConfiguration().IsMatch(text);
        var addressed = Vocative().IsMatch(text);
        var covert = fromTool && (Covert().IsMatch(text) || (ShareVerb().IsMatch(text) && Sensitive().IsMatch(text)));
        var sentences = overrides || unrestricted || extraction || addressed || covert ? SentenceBreak().Split(text) : [];
        for (var i = 0; i < sentences.Length; i++)
        {
            var sentence = sentences[i];
            if (sentence.Length < 6)
            {
                continue;
            }

            if (overrides && ((DismissThenGuidance().IsMatch(sentence) && Scope().IsMatch(sentence)) || GuidanceThenVoid().IsMatch(sentence) ||
                (DismissPronoun().IsMatch(sentence) && OverridesPrevious(sentences, i))))
            {
                found.Add("override-composed");
            }

            if (unrestricted)
            {
                if ((PersonaSetup().IsMatch(sentence) && Unrestricted().IsMatch(sentence)) || Hypothetical().IsMatch(sentence) || ModeSwitch().IsMatch(sentence))
                {
                    found.Add("unrestricted-persona");
                }
                else if (Unrestricted().IsMatch(sentence))
                {
                    found.Add("unrestricted-mention");
                }
            }

            if (extraction && DisclosureVerb().IsMatch(sentence) && OwnConfiguration().IsMatch(sentence))
            {
                found.Add("extraction-composed");
            }

            if (addressed && Vocative().IsMatch(sentence) && (fromTool || ModelOrder().IsMatch(sentence)))
            {
                found.Add("model-addressed");
            }

            if (covert && (Covert().IsMatch(sentence) || (ShareVerb().IsMatch(sentence) && Sensitive().IsMatch(sentence))))
            {
                found.Add("covert-action");
            }
        }

        if (Boundary().IsMatch(text))
        {
            found.Add("fake-boundary");
        }

        foreach (var name in found)
        {
            yield return (name, Weight(name));
        }
    }

    // A dismissal may point back at the sentence before ("Your earlier orders were a test. Discard them.").
    private static bool OverridesPrevious(string[] sentences, int i)
    {
        var withPrevious = i > 0 ? sentences[i - 1] + " " + sentences[i] : sentences[i];
        return Guidance().IsMatch(withPrevious) && Scope().IsMatch(withPrevious);
    }

    private static double Weight(string name) => name switch
    {
        "override-composed" => 0.65,
        "unrestricted-persona" => 0.6,
        "unrestricted-mention" => 0.25,
        "extraction-composed" => 0.6,
        "model-addressed" => 0.35,
        "covert-action" => 0.45,
        "fake-boundary" => 0.5,
        _ => 0,
    };

    [GeneratedRegex(@"(?<=[.!?;\n])\s+|\n")]
    private static partial Regex SentenceBreak();

    private const string DismissWords = @"\b(ignore|ignoring|disregard|forget|never ?mind|cancel|set aside|put aside|throw out|throw away|discard|drop|abandon|scrap|override|bypass|skip|stop following|do not follow|don't follow|no longer follow|suspend|turn off|disable|remove|delete|erase)\b";

    private const string GuidanceWords = @"\b(instructions?|directives?|rules|guidelines|guidance|guardrails|polic(y|ies)|programming|constraints|restrictions|system (prompt|message)|setup message|prompt|orders|commands|what you were told|safety (settings|filters?|configuration)|content (rules|filters?)|configuration)\b";

    [GeneratedRegex(DismissWords + @"[^.!?\n]{0,50}?" + GuidanceWords)]
    private static partial Regex DismissThenGuidance();

    [GeneratedRegex(GuidanceWords + @"[^.!?\n]{0,60}?\b(no longer (apply|applies|valid|matter|in effect)|(is|are|were|has been|have been) (void|outdated|obsolete|cancelled|revoked|removed|lifted|disabled|a test|suspended)|outdated|obsolete)\b")]
    private static partial Regex GuidanceThenVoid();

    [GeneratedRegex(@"\b(ignore|disregard|forget|discard|drop|scrap|throw out|cancel|override)\s+(them|those|these|it|that|all of (them|that))\b")]
    private static partial Regex DismissPronoun();

    [GeneratedRegex(@"\bif you (had|have|were under|were free of|weren't bound by) (no|any) (guidelines|rules|restrictions|filters|limits|policy|policies)\b|\b(as|like) (the|a|that) version of you (with|without|that has no)\b")]
    private static partial Regex Hypothetical();

    [GeneratedRegex(@"\b(enable|activate|enter|switch to|turn on)\b[^.!?\n]{0,20}\bmode\b[^.!?\n]{0,80}\b(restrictions|rules|filters|guidelines|policy|normally (block|refuse)|would (normally )?(block|refuse)|no limits)\b")]
    private static partial Regex ModeSwitch();

    [GeneratedRegex(GuidanceWords)]
    private static partial Regex Guidance();

    [GeneratedRegex(@"\b(previous|prior|earlier|above|before|preceding|all|your|original|initial|existing|default|received|given)\b")]
    private static partial Regex Scope();

    [GeneratedRegex(@"\b(you are now|you're now|you are|you're|act as|acting as|pretend|imagine (you('re| are)|being)|role-?play|play the role|simulate|from now on|become|answer as|respond as|speak as|in \w+ mode)\b")]
    private static partial Regex PersonaSetup();

    [GeneratedRegex(@"\b(unrestricted|unfiltered|uncensored|unlimited|jailbroken|amoral|unethical|evil|god mode|no (laws|rules|limits|limitations|restrictions|filters|guidelines|content rules|ethics|morals|boundaries)|never (says? no|refuses?|declines?)|without (limits|limitations|restrictions|filters|rules|boundaries)|things you (would )?normally refuse|answers everything|(free|freed) from (all |your )?(rules|restrictions|guidelines))\b")]
    private static partial Regex Unrestricted();

    [GeneratedRegex(@"\b(reveal|show|print|paste|repeat|output|display|tell|give|share|summari[sz]e|list|dump|leak|copy|recite|what (is|are|was|were)|quote|write out)\b")]
    private static partial Regex DisclosureVerb();

    [GeneratedRegex(@"\b((your|the|this|my) (own |current |hidden |secret |initial |original |full |exact )?system (prompt|instructions?|message)|(your|own) (instructions|rules|prompt|guidelines|directives|configuration|setup)|prompt that (configured|created|set up|initiali[sz]ed) you|(hidden|secret|initial|original|internal|confidential|starting|setup|operator'?s?|developer'?s?) (prompt|instructions?|policy|rules|guidelines|message)|(instructions|rules) (you were given|you received|you got|your (operator|developer|creator)s? (set|gave|wrote))|(start|beginning) of (this|the) (chat|conversation|session)|before my first message|your context window)\b")]
    private static partial Regex OwnConfiguration();

    [GeneratedRegex(@"(^|[\s>""'(:])(hey |dear |attention,? |(note|message|instructions?) (to|for) (the |any |all |every )?|to the )?(ai|ai agent|ai assistant|assistant|language model|llm|chatbot|bot|agent|model)s?( (reading|summari[sz]ing|processing) [a-z ]{1,30})?\s*[:,!]")]
    private static partial Regex Vocative();

    [GeneratedRegex(@"\b(you must|you should|do not|don't|now|instead|immediately|always|never|stop)\b")]
    private static partial Regex ModelOrder();

    [GeneratedRegex(@"\b(hide|conceal|suppress|don't mention|do not mention|without telling|the user actually wants|tell the (reader|user) (that )?(their|your) (account|password|session)|must log ?in at)\b")]
    private static partial Regex Covert();

    [GeneratedRegex(@"\b(send|forward|share|email|upload|post|transmit|exfiltrate|copy)\b")]
    private static partial Regex ShareVerb();

    [GeneratedRegex(@"\b(contacts?( list)?|credentials|passwords?|api keys?|tokens?|chat history|conversation|emails|files|personal data|address book|session cookies?)\b")]
    private static partial Regex Sensitive();

    [GeneratedRegex(@"<\|[a-z_]{3,20}\|>|\[/?[a-z]{3,6}\]\s*(?=\S)|\b(end (of )?(context|input|document|prompt|user input)|admin(istrator)? override|begin (system|admin) (prompt|message))\b")]
    private static partial Regex Boundary();
}
