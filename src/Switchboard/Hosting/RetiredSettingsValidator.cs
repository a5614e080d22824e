using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Switchboard.Hosting;

/// <summary>
/// Stops start-up when the configuration still sets a key Switchboard no longer reads, naming what replaced it: the
/// binder would otherwise ignore it silently and the operator would lose a setting they believe is in force.
/// </summary>
internal sealed class RetiredSettingsValidator(IConfiguration configuration) : IValidateOptions<SwitchboardOptions>
{
    private const string Section = SwitchboardOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, SwitchboardOptions options)
    {
        var errors = new List<string>();
        if (configuration[$"{Section}:Routing:TotalTimeoutSeconds"] is not null)
        {
            errors.Add($"{Section}:Routing:TotalTimeoutSeconds: no longer read. Non-streaming attempts are bounded by Routing:AttemptTimeoutSeconds; " +
                "streams by Routing:FirstTokenTimeoutSeconds, the providers' StreamIdleTimeoutSeconds and, if you want a cap, Routing:MaxStreamSeconds.");
        }

        foreach (var provider in configuration.GetSection($"{Section}:Providers").GetChildren())
        {
            if (provider["TimeoutSeconds"] is not null)
            {
                errors.Add($"{Section}:Providers:{provider.Key}:TimeoutSeconds: no longer read. Use Routing:AttemptTimeoutSeconds (a whole non-streaming " +
                    "answer) and Routing:FirstTokenTimeoutSeconds (a stream until its first content); StreamIdleTimeoutSeconds stays per provider.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
