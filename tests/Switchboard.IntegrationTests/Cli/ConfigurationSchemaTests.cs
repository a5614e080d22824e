using System.Text.Json;
using Switchboard.Cli.Configuration;

namespace Switchboard.IntegrationTests.Cli;

/// <summary>The committed <c>schema/switchboard.schema.json</c> is what the options classes generate today.</summary>
public sealed class ConfigurationSchemaTests
{
    [Fact]
    public void CommittedSchema_MatchesTheOptionsClasses()
    {
        var committed = Path.Combine(RepositoryRoot(), ConfigurationSchema.RepositoryPath);
        var generated = ConfigurationSchema.Generate();
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_UPDATE_SCHEMA") == "1")
        {
            File.WriteAllText(committed, generated);
        }

        Assert.True(File.Exists(committed), $"{committed} is missing: run `dotnet run --project src/Switchboard.Cli -- config schema > {ConfigurationSchema.RepositoryPath}`");
        var expected = File.ReadAllText(committed).ReplaceLineEndings("\n");
        Assert.True(expected == generated,
            $"{ConfigurationSchema.RepositoryPath} is out of date with the options classes: regenerate it with " +
            $"`dotnet run --project src/Switchboard.Cli -- config schema > {ConfigurationSchema.RepositoryPath}` (or SWITCHBOARD_UPDATE_SCHEMA=1).");
    }

    [Fact]
    public void Schema_DescribesEverySectionWithTheOptionsDocsAndBounds()
    {
        using var doc = JsonDocument.Parse(ConfigurationSchema.Generate());
        var section = doc.RootElement.GetProperty("properties").GetProperty("Switchboard");
        var sections = section.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["Providers", "Models", "Routing", "Catalog", "Telemetry", "Guardrails", "Cache", "RateLimits", "Ledger", "Budgets", "Gateway", "Auth", "Responses"], sections);
        // A misspelt key is flagged by editors.
        Assert.False(section.GetProperty("additionalProperties").GetBoolean());

        var provider = section.GetProperty("properties").GetProperty("Providers").GetProperty("additionalProperties").GetProperty("properties");
        Assert.Equal(1, provider.GetProperty("Rpm").GetProperty("minimum").GetDouble());
        Assert.Equal("uri", provider.GetProperty("BaseUrl").GetProperty("format").GetString());
        Assert.Contains("Requests per minute", provider.GetProperty("Rpm").GetProperty("description").GetString(), StringComparison.Ordinal);
        // Computed, unbindable properties are not offered.
        var cache = section.GetProperty("properties").GetProperty("Cache").GetProperty("properties");
        Assert.False(cache.TryGetProperty("HasRedis", out _));
        Assert.Equal("array", section.GetProperty("properties").GetProperty("Budgets").GetProperty("type").GetString());
        var responses = section.GetProperty("properties").GetProperty("Responses").GetProperty("properties");
        Assert.Equal(1, responses.GetProperty("RetentionDays").GetProperty("minimum").GetDouble());
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Switchboard.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Switchboard.slnx not found above " + AppContext.BaseDirectory);
    }
}
