using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Spectre.Console;
using Switchboard.Gateway.Auth;
using Switchboard.Gateway.Hosting;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard keys create|list|revoke</c>: virtual keys, in the gateway's store (the same database the gateway uses).</summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var name = new Option<string?>("--name") { Description = "A name to recognise the key by." };
        var models = new Option<string[]>("--model") { Description = "A route or model the key may use (repeat; default: all).", AllowMultipleArgumentsPerToken = true };
        var expires = new Option<string?>("--expires") { Description = "Expiry as an ISO date or a duration such as 30d." };
        var rpm = new Option<int?>("--rpm") { Description = "Requests per minute." };
        var tpm = new Option<int?>("--tpm") { Description = "Tokens per minute." };
        var create = new Command("create", "Create a key; it is shown once.") { config, name, models, expires, rpm, tpm };
        create.SetAction(async (parse, ct) =>
        {
            var store = Store(parse.GetValue(config));
            var created = await store.CreateAsync(new CreateKeyRequest(parse.GetValue(name), parse.GetValue(models), Expiry(parse.GetValue(expires)),
                parse.GetValue(rpm), parse.GetValue(tpm)), ct);
            AnsiConsole.MarkupLineInterpolated($"[green]{created.Key}[/]");
            AnsiConsole.MarkupLineInterpolated($"id {created.Info.Id}. Store the key now: only its hash is kept.");
            return 0;
        });

        var list = new Command("list", "List keys (never the keys themselves).") { config };
        list.SetAction(async (parse, ct) =>
        {
            var table = new Table().AddColumns("id", "name", "prefix", "models", "expires", "rpm", "tpm", "status");
            foreach (var key in await Store(parse.GetValue(config)).ListAsync(ct))
            {
                table.AddRow(key.Id, Markup.Escape(key.Name ?? ""), key.Prefix + "…", Markup.Escape(key.Models.Count == 0 ? "all" : string.Join(",", key.Models)),
                    key.ExpiresAt?.ToString("u", CultureInfo.InvariantCulture) ?? "", key.Rpm?.ToString(CultureInfo.InvariantCulture) ?? "",
                    key.Tpm?.ToString(CultureInfo.InvariantCulture) ?? "", key.RevokedAt is null ? "active" : "revoked");
            }

            AnsiConsole.Write(table);
            return 0;
        });

        var id = new Argument<string>("id") { Description = "The key's id." };
        var revoke = new Command("revoke", "Revoke a key.") { config, id };
        revoke.SetAction(async (parse, ct) =>
        {
            var revoked = await Store(parse.GetValue(config)).RevokeAsync(parse.GetValue(id)!, ct);
            Console.WriteLine(revoked ? "revoked" : "no such active key");
            return revoked ? 0 : 1;
        });

        return new Command("keys", "Manage virtual keys.") { create, list, revoke };
    }

    private static SqliteKeyStore Store(string? configFile)
    {
        var configuration = new ConfigurationManager();
        configuration.AddJsonFile(Path.GetFullPath(configFile ?? "switchboard.json"), optional: configFile is null).AddEnvironmentVariables();
        return new SqliteKeyStore(GatewayApp.StoreConnectionString(configuration, configFile), TimeProvider.System);
    }

    private static DateTimeOffset? Expiry(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (value.EndsWith('d') && int.TryParse(value[..^1], CultureInfo.InvariantCulture, out var days))
        {
            return TimeProvider.System.GetUtcNow().AddDays(days);
        }

        return DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);
    }
}
