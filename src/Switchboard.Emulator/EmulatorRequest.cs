namespace Switchboard.Emulator;

/// <summary>One request the emulator received on a model endpoint (credentials removed from the headers).</summary>
public sealed record EmulatorRequest(string Protocol, string Path, string? Model, string Body, IReadOnlyDictionary<string, string> Headers);
