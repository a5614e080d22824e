using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Ledger;

namespace Switchboard.Budgets;

/// <summary>
/// Raises a cost alert once per threshold crossing per budget window: a structured warning, and a JSON POST to the budget's
/// webhook in the background, retried with exponential backoff. Never blocks or fails the request that crossed it.
/// </summary>
/// <remarks>Fired thresholds are remembered in the store (<c>budget_alerts</c>), so a restart does not fire them again.</remarks>
public sealed partial class CostAlerter
{
    /// <summary>The named <see cref="HttpClient"/> webhooks are sent with.</summary>
    public const string HttpClientName = "Switchboard.CostAlerts";

    private readonly IBudgetAlertStore? _store;
    private readonly IHttpClientFactory? _http;
    private readonly BudgetOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(string, DateTimeOffset, decimal), byte> _fired = new();
    private readonly ConcurrentDictionary<Task, byte> _pending = new();

    public CostAlerter(IBudgetAlertStore? store, IHttpClientFactory? http, IOptions<BudgetOptions> options, TimeProvider time,
        ILogger<CostAlerter> logger)
    {
        _store = store;
        _http = http;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Alerts are raised for every threshold <paramref name="spentUsd"/> has reached and that has not fired in this window.</summary>
    public void Check(BudgetDefinition budget, DateTimeOffset windowStart, decimal spentUsd)
    {
        ArgumentNullException.ThrowIfNull(budget);
        foreach (var threshold in budget.EffectiveThresholds)
        {
            if (spentUsd < threshold * budget.LimitUsd || !_fired.TryAdd((budget.Name, windowStart, threshold), 0))
            {
                continue;
            }

            var alert = new BudgetAlert
            {
                Budget = budget.Name,
                Scope = budget.Scope,
                Target = budget.Target,
                Window = budget.Window,
                WindowStart = windowStart,
                Threshold = threshold,
                LimitUsd = budget.LimitUsd,
                SpentUsd = spentUsd,
                FiredAt = _time.GetUtcNow(),
            };
            var task = Task.Run(() => FireAsync(alert, budget.WebhookUrl));
            _pending.TryAdd(task, 0);
            _ = task.ContinueWith(t => _pending.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    /// <summary>Completes when every alert raised so far has been logged and delivered (or given up).</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_pending.Keys);

    private async Task FireAsync(BudgetAlert alert, Uri? webhook)
    {
        try
        {
            if (_store is not null && !await _store.TryMarkAlertAsync(alert.Budget, alert.WindowStart, alert.Threshold, CancellationToken.None))
            {
                return; // fired before (another replica, or before a restart)
            }
        }
        catch (Exception ex)
        {
            LogMarkFailed(_logger, alert.Budget, ex); // better a repeated alert than a lost one
        }

        LogAlert(_logger, alert.Budget, (double)alert.Threshold, alert.SpentUsd, alert.LimitUsd, alert.WindowStart);
        if (webhook is null || _http is null)
        {
            return;
        }

        var delay = _options.WebhookRetryBaseDelay;
        for (var attempt = 1; attempt <= _options.WebhookMaxAttempts; attempt++)
        {
            try
            {
                using var client = _http.CreateClient(HttpClientName);
                using var response = await client.PostAsJsonAsync(webhook, alert, BudgetJsonContext.Default.BudgetAlert);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                LogWebhookFailed(_logger, alert.Budget, attempt, $"HTTP {(int)response.StatusCode}", null);
            }
            catch (Exception ex)
            {
                LogWebhookFailed(_logger, alert.Budget, attempt, ex.GetType().Name, ex);
            }

            if (attempt < _options.WebhookMaxAttempts)
            {
                await Task.Delay(delay, _time);
                delay *= 2;
            }
        }

        LogWebhookGaveUp(_logger, alert.Budget, _options.WebhookMaxAttempts);
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning,
        Message = "Cost alert: budget {Budget} crossed {Threshold:P0} of its limit: {SpentUsd} of {LimitUsd} USD spent in the window from {WindowStart:O}")]
    private static partial void LogAlert(ILogger logger, string budget, double threshold, decimal spentUsd, decimal limitUsd, DateTimeOffset windowStart);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "Cost alert webhook for budget {Budget} failed (try {Attempt}): {Reason}")]
    private static partial void LogWebhookFailed(ILogger logger, string budget, int attempt, string reason, Exception? exception);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Error, Message = "Cost alert webhook for budget {Budget} given up after {Attempts} tries")]
    private static partial void LogWebhookGaveUp(ILogger logger, string budget, int attempts);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Warning, Message = "Could not record the cost alert of budget {Budget} in the store; alerting anyway")]
    private static partial void LogMarkFailed(ILogger logger, string budget, Exception exception);
}
