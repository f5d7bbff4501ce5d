using Microsoft.AspNetCore.Http;

namespace Switchyard.Dashboard;

/// <summary>The dashboard's stylesheet, script and Chart.js, embedded in the assembly and served with long caching.</summary>
internal static class DashboardAssets
{
    private static readonly Dictionary<string, (byte[] Bytes, string Type)> s_assets = Load();

    public static IResult Serve(string name)
    {
        if (!s_assets.TryGetValue(name, out var asset))
        {
            return Results.NotFound();
        }

        return Results.Bytes(asset.Bytes, asset.Type);
    }

    private static Dictionary<string, (byte[], string)> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        const string Prefix = "Dashboard.Assets.";
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            var name = resource[Prefix.Length..];
            var type = Path.GetExtension(name) switch
            {
                ".js" => "text/javascript; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "text/plain; charset=utf-8",
            };
            assets[name] = (bytes.ToArray(), type);
        }

        return assets;
    }
}
