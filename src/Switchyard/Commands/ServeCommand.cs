using System.CommandLine;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Switchyard.Configuration;
using Switchyard.Hosting;
using Switchyard.Identity;
using Switchyard.Providers;
using Switchyard.Routing;
using Switchyard.Storage;

namespace Switchyard.Cli.Commands;

/// <summary><c>switchyard serve</c>: the gateway, admin API and dashboard in one process.</summary>
internal static class ServeCommand
{
    private const string AdminKeyHashSetting = "admin_key_sha256";

    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "YAML configuration file (default: none: sandbox plus providers found in the environment)" };
        var urls = new Option<string?>("--urls") { Description = $"Where to listen (default {ServerOptions.DefaultUrls})" };
        var data = new Option<DirectoryInfo?>("--data") { Description = "Data directory for the embedded store (default ./data)" };
        var command = new Command("serve", "Run the gateway, admin API and dashboard") { config, urls, data };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetValue(config)?.FullName, result.GetValue(urls), result.GetValue(data)?.FullName, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string? configPath, string? urls, string? dataDirectory, CancellationToken cancellationToken)
    {
        SwitchyardOptions options;
        try
        {
            options = new ConfigLoader().Load(configPath);
        }
        catch (ConfigurationException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitCodes.InvalidConfiguration;
        }

        options.Server.Urls = urls ?? options.Server.Urls;
        options.Server.DataDirectory = dataDirectory ?? options.Server.DataDirectory;

        var loopbackOnly = ListenerAddresses.AllLoopback(options.Server.Urls, out var exposed);
        if (!loopbackOnly && options.Auth.AdminKey is null)
        {
            await Console.Error.WriteLineAsync($"Refusing to listen on {exposed} without authentication: set SWITCHYARD_ADMIN_KEY (or auth.admin_key) first. Use a loopback address (127.0.0.1) for local development.").ConfigureAwait(false);
            return ExitCodes.Refused;
        }

        if (options.DiscoverProviders)
        {
            var notes = await ProviderDiscovery.DiscoverAsync(options, Environment.GetEnvironmentVariable, null, cancellationToken).ConfigureAwait(false);
            foreach (var note in notes)
            {
                Console.WriteLine($"Discovered {note}");
            }
        }

        var database = new SqliteDatabase(options.Server.DataDirectory);
        database.Migrate();
        var adminKey = ResolveAdminKey(options, database);
        var authMode = new AuthMode(AnonymousInference: loopbackOnly && options.Auth.AllowAnonymousOnLoopback);

        WebApplication app;
        try
        {
            app = SwitchyardApp.Build(options, adminKey, authMode);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"Could not start: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.StartFailed;
        }

        app.Lifetime.ApplicationStarted.Register(() => PrintBanner(app, options, authMode));
        try
        {
            await app.RunAsync().ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await Console.Error.WriteLineAsync($"Could not listen on {options.Server.Urls}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.StartFailed;
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// The configured key, or the one generated at first start: only its hash is stored, so it is
    /// printed exactly once.
    /// </summary>
    private static AdminKey ResolveAdminKey(SwitchyardOptions options, SqliteDatabase database)
    {
        if (options.Auth.AdminKey is { } configured)
        {
            return AdminKey.FromSecret(configured);
        }

        if (database.GetSetting(AdminKeyHashSetting) is { } stored)
        {
            return new AdminKey(Convert.FromHexString(stored));
        }

        var generated = AdminKey.Generate();
        var key = AdminKey.FromSecret(generated);
        database.SetSetting(AdminKeyHashSetting, Convert.ToHexString(key.Hash));
        Console.WriteLine();
        Console.WriteLine("  Admin key (shown once, only its hash is stored; keep it now):");
        Console.WriteLine($"    {generated}");
        Console.WriteLine("  It guards /api and the dashboard. Set SWITCHYARD_ADMIN_KEY to choose your own.");
        Console.WriteLine();
        return key;
    }

    private static void PrintBanner(WebApplication app, SwitchyardOptions options, AuthMode authMode)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            Console.WriteLine($"Switchyard listening on {address}  (OpenAI base URL: {address}/v1)");
        }

        Console.WriteLine($"Data: {Path.GetFullPath(options.Server.DataDirectory)}");
        // Anonymous loopback use ends with the first virtual key (revoked ones count): the mode alone would
        // promise an open /v1 to a store that already has keys.
        var keysExist = app.Services.GetRequiredService<KeyRegistry>().HasKeys;
        Console.WriteLine(!authMode.AnonymousInference ? "Auth: every request needs a key."
            : keysExist ? "Auth: /v1 needs a virtual key (keys exist; send 'Authorization: Bearer <key>'); /api needs the admin key."
            : "Auth: /v1 open on loopback (no keys defined); /api needs the admin key.");
        var exact = app.Services.GetRequiredService<Caching.ExactCache>();
        var semantic = app.Services.GetRequiredService<Caching.Semantic.SemanticCache>();
        var groups = app.Services.GetRequiredService<ModelCatalog>().Groups.ToList();
        int exactGroups = groups.Count(g => exact.EnabledFor(g.Name)), semanticGroups = groups.Count(g => semantic.EnabledFor(g.Name));
        Console.WriteLine(exactGroups + semanticGroups == 0
            ? "Cache: off (cache.exact / cache.semantic in the config file)"
            : $"Cache: exact for {exactGroups} of {groups.Count} model groups, semantic for {semanticGroups} (threshold {semantic.Threshold:0.00}); x-switchyard-cache on every answer");
        Console.WriteLine("Models:");
        foreach (var group in app.Services.GetRequiredService<ModelCatalog>().Groups)
        {
            var where = string.Join(", ", group.Deployments.Select(d => d.IsSimulated ? "sandbox (simulated)" : $"{d.Provider}:{d.Model}"));
            Console.WriteLine($"  {group.Name,-32} {where}");
        }
    }
}
