using System.Text.RegularExpressions;

namespace Switchboard.Guardrails;

/// <summary>
/// The known families of prompt injection as weighted patterns over lower-cased, normalised text: instruction override,
/// role-play jailbreaks, system-prompt extraction, delimiter smuggling, encoded payloads and indirect injection
/// addressed to the model from tool output.
/// </summary>
internal static partial class InjectionSignals
{
    public static IReadOnlyList<InjectionSignal> All { get; } =
    [
        // Instruction override.
        new("override", "ignore-previous", 0.75, IgnorePrevious()),
        new("override", "new-instructions", 0.5, NewInstructions()),
        new("override", "from-now-on", 0.3, FromNowOn()),
        new("override", "obey-only", 0.35, ObeyOnly()),
        // Role-play jailbreaks.
        new("roleplay", "named-jailbreak", 0.6, NamedJailbreak()),
        new("roleplay", "no-restrictions", 0.55, NoRestrictions()),
        new("roleplay", "unfiltered-persona", 0.6, UnfilteredPersona()),
        new("roleplay", "not-bound", 0.6, NotBound()),
        new("roleplay", "developer-mode", 0.35, DeveloperMode()),
        new("roleplay", "stay-in-character", 0.2, StayInCharacter()),
        new("roleplay", "break-the-rules", 0.45, BreakTheRules()),
        new("roleplay", "grandma-exploit", 0.4, GrandmaExploit()),
        // System prompt extraction.
        new("extraction", "reveal-prompt", 0.7, RevealPrompt()),
        new("extraction", "repeat-above", 0.6, RepeatAbove()),
        new("extraction", "rules-given", 0.55, RulesGiven()),
        // Delimiter smuggling.
        new("delimiter", "chat-template-token", 0.6, ChatTemplateToken()),
        new("delimiter", "fake-system-turn", 0.55, FakeSystemTurn()),
        // Encoding smuggling (the payload itself is scored separately once decoded).
        new("encoding", "decode-and-follow", 0.5, DecodeAndFollow()),
        // Indirect injection: text that addresses the model from a document or tool result.
        new("indirect", "addresses-model", 0.45, AddressesModel()),
        new("indirect", "hide-from-user", 0.45, HideFromUser()),
        new("indirect", "exfiltrate", 0.5, Exfiltrate()),
        new("indirect", "destructive-order", 0.4, DestructiveOrder(), ToolOnly: true),
        new("indirect", "instead-order", 0.3, InsteadOrder(), ToolOnly: true),
    ];


    [GeneratedRegex(@"\b(ignore|disregard|forget|override|bypass|skip|stop following)\b[^.!?\n]{0,30}?\b(previous|prior|above|earlier|preceding|all|any|your|original|system|initial)\b[^.!?\n]{0,25}?\b(instructions?|prompts?|rules|directions|guidelines|constraints|programming|system messages?|restrictions)\b|\b(forget|ignore|disregard)\s+(everything|anything)\s+(above|before|previous|prior|earlier|you were told)")]
    private static partial Regex IgnorePrevious();

    [GeneratedRegex(@"\b(new|updated|real|actual|true|revised)\s+(instructions?|rules|system prompt|directives?|policy|task)\b\s*(:|are|is)|\b(previous|prior|earlier) (system )?(message|instructions?|prompt) (is|are) (void|deprecated|cancelled|obsolete)|\bare deprecated\b|\bas your new instructions\b")]
    private static partial Regex NewInstructions();

    [GeneratedRegex(@"\bfrom now on,? you (will|are|must|shall|answer|respond|act)\b")]
    private static partial Regex FromNowOn();

    [GeneratedRegex(@"\b(obey|listen to|follow) only (me|my|the user)\b|\bwithout refusing\b|\bnever refuses?\b")]
    private static partial Regex ObeyOnly();

    [GeneratedRegex(@"\b(do anything now|strive to avoid norms|jailbr(?:eak|oken)\s+(assistant|mode|ai|model|version)|you are (going to )?(pretend to be |act as )?(dan|stan|aim|dude|mongo tom)\b|\bas (dan|stan|aim)\b)")]
    private static partial Regex NamedJailbreak();

    [GeneratedRegex(@"\b(no|without( any)?)\s+(restrictions|limitations|content polic(y|ies)|filters|censorship|ethical (or moral )?guidelines|moral guidelines|rules or filters|rules)\b")]
    private static partial Regex NoRestrictions();

    [GeneratedRegex(@"\b(act|behave|respond|answer|roleplay|role-play)\s+(as|like)\s+(if you (were|are) )?(an? |my |your )?(uncensored|unfiltered|unrestricted|evil|jailbroken|amoral|unethical)|\b(evil twin|uncensored ai|unfiltered ai)\b")]
    private static partial Regex UnfilteredPersona();

    [GeneratedRegex(@"\byou are (now )?(no longer|not) (bound|restricted|limited|an ai|chatgpt|claude)\b|\bbroken free of\b")]
    private static partial Regex NotBound();

    [GeneratedRegex(@"\bdeveloper mode (enabled|on|activated)\b|\bin developer mode\b|\bmaintenance mode\b")]
    private static partial Regex DeveloperMode();

    [GeneratedRegex(@"\bstay in character\b|\bno matter what\b")]
    private static partial Regex StayInCharacter();

    [GeneratedRegex(@"\blet'?s break the rules\b|\bignore (the |your )?(content|safety) (policy|rules)\b|\bignore safety\b")]
    private static partial Regex BreakTheRules();

    [GeneratedRegex(@"\b(late|dead|deceased) grand(ma|mother|pa|father)\b[^.!?\n]{0,60}\b(used to|would)\b")]
    private static partial Regex GrandmaExploit();

    [GeneratedRegex(@"\b(reveal|show|print|repeat|output|display|tell me|give me|leak|dump|what is|what are|what were)\b[^.!?\n]{0,25}?\b(your|the)\s+(exact |full |original |initial |hidden |secret |system )*(system prompt|initial prompt|original prompt|hidden prompt|system message|system instructions|hidden instructions|secret instructions|original instructions|initial instructions|prompt)\b")]
    private static partial Regex RevealPrompt();

    [GeneratedRegex(@"\b(repeat|print|output|copy)\b[^.!?\n]{0,20}\b(the )?(text|words|everything|all)\b[^.!?\n]{0,15}\b(above|before this)\b|\bwhat were you told\b")]
    private static partial Regex RepeatAbove();

    [GeneratedRegex(@"\b(rules|instructions)\b[^.!?\n]{0,30}\b(were given|you were given|developer gave you|gave you at the start)\b")]
    private static partial Regex RulesGiven();

    [GeneratedRegex(@"<\|?(im_start|im_end|endoftext|system|eot_id|start_header_id)\|?>|\[/?(inst|system|sys)\]|<</?sys>>|</?(system|user|assistant)>")]
    private static partial Regex ChatTemplateToken();

    [GeneratedRegex(@"(^|\n)\s*(#{2,}\s*)?(system|system message|system prompt)\s*:|end of (user )?(input|prompt)\s*-*\s*\n")]
    private static partial Regex FakeSystemTurn();

    [GeneratedRegex(@"\b(decode|decrypt|translate|convert)\b[^.!?\n]{0,30}\b(base64|rot13|hex|cipher)\b[^.!?\n]{0,30}\b(follow|execute|obey|do what|run|as your)\b|\b(run|execute|follow) (this|the following) (base64|rot13|encoded)")]
    private static partial Regex DecodeAndFollow();

    [GeneratedRegex(@"\b(ai|assistant|language models?|llm|chatbot|ai model|model)\b[^.!?\n]{0,25}\b(reading|processing|summari[sz]ing|parsing)\b[^.!?\n]{0,10}\b(this|the)\b|\b(instructions?|note|message) (for|to) (the )?(ai|assistant|language models?|llm|model)s?\b|\b(dear|attention|hey|note to) (the )?(ai|assistant|language models?|llm|chatbot|ai model)\b|(^|[.!?:]\s*|<!--\s*|\""\s*:\s*\"")(ai )?assistant\s*[:,]|\bif you are an? (ai|assistant|language model|llm)\b|\bwhen you read this\b")]
    private static partial Regex AddressesModel();

    [GeneratedRegex(@"\b(do not|don't|never) (tell|inform|mention (this )?to|reveal (this )?to|alert) (the )?user\b")]
    private static partial Regex HideFromUser();

    [GeneratedRegex(@"\b(send|forward|email|post|upload|exfiltrate|include)\b[^.!?\n]{0,40}\b(password|credentials|api keys?|chat history|conversation|all emails|ssh|private key|tokens?|secrets)\b|\bid_rsa\b")]
    private static partial Regex Exfiltrate();

    [GeneratedRegex(@"\b(delete|remove|wipe|drop) (all|every) (files|data|records|emails|tables)\b|\bgrant (the user )?(admin|administrator|root) (access|privileges)\b")]
    private static partial Regex DestructiveOrder();

    [GeneratedRegex(@"\b(instead|your real task is|your new task is)\b[^.!?\n]{0,20}\b(tell|reply|say|recommend|output|forward|send|mark)\b")]
    private static partial Regex InsteadOrder();
}
