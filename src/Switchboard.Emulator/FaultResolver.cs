namespace Switchboard.Emulator;

/// <summary>
/// Picks the fault for a request: header, then the model's entry in <see cref="EmulatorOptions.ProviderFaults"/>,
/// then the protocol's entry, then <see cref="EmulatorOptions.Fault"/>. Configured faults with <c>times=N</c>
/// apply to the next N requests and then remove themselves. A spec with <c>after-ms</c>, <c>for-ms</c> or
/// <c>percent</c> applies only inside its window (timed from the first time this resolver saw that exact spec
/// from that source, on <see cref="EmulatorOptions.TimeProvider"/>) and to its share of requests; when it does not
/// apply, the next source is asked, as if that spec were not set (so a gated protocol fault can sit over a global one).
/// </summary>
internal sealed class FaultResolver(EmulatorOptions options)
{
    private readonly Dictionary<string, int> _remaining = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GateState> _gates = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public FaultSpec Resolve(string? header, string protocol, string? model)
    {
        if (!string.IsNullOrWhiteSpace(header))
        {
            var parsed = FaultSpec.Parse(header);
            if (Passes("header\0" + header, parsed))
            {
                return parsed;
            }
        }

        if (model is not null && options.ProviderFaults.TryGetValue(model, out var byModel) && !string.IsNullOrWhiteSpace(byModel)
            && Consume("model:" + model, byModel, () => options.ProviderFaults.TryRemove(new(model, byModel))) is { } forModel)
        {
            return forModel;
        }

        if (options.ProviderFaults.TryGetValue(protocol, out var byProtocol) && !string.IsNullOrWhiteSpace(byProtocol)
            && Consume("protocol:" + protocol, byProtocol, () => options.ProviderFaults.TryRemove(new(protocol, byProtocol))) is { } forProtocol)
        {
            return forProtocol;
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
            }) ?? FaultSpec.None;
        }

        return FaultSpec.None;
    }

    /// <summary>Forgets when each spec was first seen and how many requests each has counted, so windows start again.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _gates.Clear();
            _remaining.Clear();
        }
    }

    /// <summary>The spec when it applies to this request; null when it is gated off, so the next source is asked.</summary>
    private FaultSpec? Consume(string source, string spec, Action clear)
    {
        var fault = FaultSpec.Parse(spec);
        var key = source + "\0" + spec;
        if (!Passes(key, fault))
        {
            return null;
        }

        if (fault.Times is not { } times)
        {
            return fault;
        }

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

    /// <summary>Whether a gated spec applies to this request: inside its time window, and its turn under <c>percent</c>.</summary>
    private bool Passes(string key, FaultSpec fault)
    {
        if (!fault.IsGated)
        {
            return true;
        }

        var now = options.TimeProvider.GetTimestamp();
        lock (_gate)
        {
            if (!_gates.TryGetValue(key, out var state))
            {
                state = new GateState(now);
                _gates[key] = state;
            }

            var elapsedMs = options.TimeProvider.GetElapsedTime(state.FirstSeen, now).TotalMilliseconds;
            var start = fault.AfterMs ?? 0;
            if (elapsedMs < start || (fault.ForMs is { } length && elapsedMs >= start + (double)length))
            {
                return false;
            }

            if (fault.Percent is not { } percent)
            {
                return true;
            }

            // The n-th request inside the window applies when n·P/100 crosses a whole number: exactly P in every 100, evenly spread.
            var n = state.Counted++;
            return (n + 1) * percent / 100 > n * percent / 100;
        }
    }

    private sealed class GateState(long firstSeen)
    {
        public long FirstSeen { get; } = firstSeen;
        public long Counted { get; set; }
    }
}
