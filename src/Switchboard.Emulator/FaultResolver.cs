namespace Switchboard.Emulator;

/// <summary>
/// Picks the fault for a request: header, then the model's entry in <see cref="EmulatorOptions.ProviderFaults"/>,
/// then the protocol's entry, then <see cref="EmulatorOptions.Fault"/>. Configured faults with <c>times=N</c>
/// apply to the next N requests and then remove themselves.
/// </summary>
internal sealed class FaultResolver(EmulatorOptions options)
{
    private readonly Dictionary<string, int> _remaining = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public FaultSpec Resolve(string? header, string protocol, string? model)
    {
        if (!string.IsNullOrWhiteSpace(header))
        {
            return FaultSpec.Parse(header);
        }

        if (model is not null && options.ProviderFaults.TryGetValue(model, out var byModel) && !string.IsNullOrWhiteSpace(byModel))
        {
            return Consume("model:" + model, byModel, () => options.ProviderFaults.TryRemove(new(model, byModel)));
        }

        if (options.ProviderFaults.TryGetValue(protocol, out var byProtocol) && !string.IsNullOrWhiteSpace(byProtocol))
        {
            return Consume("protocol:" + protocol, byProtocol, () => options.ProviderFaults.TryRemove(new(protocol, byProtocol)));
        }

        var global = options.Fault;
        if (!string.IsNullOrWhiteSpace(global))
        {
            return Consume("global", global, () =>
            {
                if (options.Fault == global)
                {
                    options.Fault = null;
                }
            });
        }

        return FaultSpec.None;
    }

    private FaultSpec Consume(string source, string spec, Action clear)
    {
        var fault = FaultSpec.Parse(spec);
        if (fault.Times is not { } times)
        {
            return fault;
        }

        var key = source + "\0" + spec;
        lock (_gate)
        {
            var left = _remaining.TryGetValue(key, out var n) ? n : times;
            left--;
            if (left <= 0)
            {
                _remaining.Remove(key);
                clear();
                return left < 0 ? FaultSpec.None : fault;
            }

            _remaining[key] = left;
            return fault;
        }
    }
}
