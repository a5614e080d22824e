using System.CommandLine;
using Switchboard.Emulator;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard emulator [--urls URL] [--fault SPEC]</c>: the fake providers on one port.</summary>
internal static class EmulatorCommand
{
    public static Command Create()
    {
        var urls = CommonOptions.Urls();
        var fault = new Option<string?>("--fault") { Description = "Fault spec applied to every request, e.g. 'status=529', 'delay-ms=200', 'status=503;after-ms=10000;for-ms=5000', 'status=429;retry-after=1;percent=20' or 'call-tool'." };
        var ttft = new Option<int>("--ttft-ms") { Description = "Delay before the first token, in ms." };
        var rate = new Option<double>("--tokens-per-second") { Description = "Streaming pace (0: as fast as possible)." };
        var command = new Command("emulator", "Run the OpenAI / Anthropic / Gemini emulator.") { urls, fault, ttft, rate };
        command.SetAction(async (parse, ct) =>
        {
            await using var host = await EmulatorHost.StartAsync(new EmulatorOptions
            {
                Urls = parse.GetValue(urls) ?? "http://127.0.0.1:8089",
                Fault = parse.GetValue(fault),
                TimeToFirstTokenMs = parse.GetValue(ttft),
                TokensPerSecond = parse.GetValue(rate),
            }, ct);
            Console.WriteLine($"Emulator listening on {host.BaseUrl} (OpenAI /v1/chat/completions, /v1/responses and /v1/embeddings, Anthropic /v1/messages, Gemini /v1beta/models/...). Ctrl+C stops it.");
            await host.WaitForShutdownAsync(ct);
            return 0;
        });
        return command;
    }
}
