using System.Globalization;
using Switchboard.LoadGen;

// Usage: Switchboard.LoadGen MODE --url URL --body JSON [--key KEY] [--header NAME:VALUE]... [mode options]
//   open   --rate R --seconds S [--warmup S]         open-loop fixed rate; latency p50/p99/max, overhead header
//   stream --count N [--warmup N]                    sequential streams; time to first / last token
//   hold   --streams N --seconds S [--ramp S]        N streams held open at once
// Prints one line of key=value pairs.
if (args.Length < 1)
{
    await Console.Error.WriteLineAsync("usage: Switchboard.LoadGen open|stream|hold --url URL --body JSON [options]");
    return 2;
}

var mode = args[0];
var options = new Dictionary<string, string>(StringComparer.Ordinal);
var headers = new List<KeyValuePair<string, string>>();
for (var i = 1; i + 1 < args.Length; i += 2)
{
    if (args[i] == "--header")
    {
        var colon = args[i + 1].IndexOf(':', StringComparison.Ordinal);
        headers.Add(new(args[i + 1][..colon].Trim(), args[i + 1][(colon + 1)..].Trim()));
    }
    else
    {
        options[args[i].TrimStart('-')] = args[i + 1];
    }
}

double Number(string name, double fallback) =>
    options.TryGetValue(name, out var text) ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

ThreadPool.SetMinThreads(64, 64);
using var target = new LoadTarget(new Uri(options["url"]), options["body"], options.GetValueOrDefault("key"), headers);
var result = mode switch
{
    "open" => await OpenLoop.RunAsync(target, Number("rate", 500), Number("warmup", 2), Number("seconds", 5)),
    "stream" => await StreamProbe.RunAsync(target, (int)Number("warmup", 20), (int)Number("count", 200)),
    "hold" => await StreamHold.RunAsync(target, (int)Number("streams", 100), Number("seconds", 10), Number("ramp", 2)),
    _ => null,
};
if (result is null)
{
    await Console.Error.WriteLineAsync($"unknown mode '{mode}'");
    return 2;
}

Console.WriteLine(result);
return 0;
