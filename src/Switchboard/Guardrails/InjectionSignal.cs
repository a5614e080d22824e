using System.Text.RegularExpressions;

namespace Switchboard.Guardrails;

/// <summary>One weighted piece of evidence of a prompt injection: a family, a name and a pattern over normalised text.</summary>
internal sealed record InjectionSignal(string Family, string Name, double Weight, Regex Pattern, bool ToolOnly = false);
