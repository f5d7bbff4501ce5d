using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Switchyard.Tests.Telemetry.Otlp;

/// <summary>A Kestrel endpoint on 127.0.0.1 that keeps the raw bytes of every POST, for exporters to send to.</summary>
internal sealed class OtlpCaptureServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpCaptureServer(WebApplication app)
    {
        _app = app;
    }

    public ConcurrentQueue<(string Path, string? ContentType, byte[] Body)> Posts { get; } = new();

    public string BaseUrl { get; private set; } = "";

    public static async Task<OtlpCaptureServer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new OtlpCaptureServer(app);
        app.Run(async http =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            server.Posts.Enqueue((http.Request.Path.Value ?? "", http.Request.ContentType, buffer.ToArray()));
            http.Response.StatusCode = 200;
            http.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync(cancellationToken);
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
