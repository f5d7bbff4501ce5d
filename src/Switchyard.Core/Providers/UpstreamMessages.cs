using System.Net.Http.Headers;
using Switchyard.Routing;

namespace Switchyard.Providers;

/// <summary>What every upstream HTTP request carries besides its URL and credentials.</summary>
internal static class UpstreamMessages
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json");

    public static void Complete(HttpRequestMessage message, Deployment deployment, UpstreamRequest request)
    {
        message.Version = System.Net.HttpVersion.Version11;
        message.VersionPolicy = HttpVersionPolicy.RequestVersionOrHigher;
        var content = new ReadOnlyMemoryContent(request.Body);
        content.Headers.ContentType = s_json;
        message.Content = content;
        if (request.Stream)
        {
            message.Headers.Accept.ParseAdd("text/event-stream");
        }

        if (request.TraceParent is not null)
        {
            message.Headers.TryAddWithoutValidation("traceparent", request.TraceParent);
        }

        if (request.ClientHeaders is not null)
        {
            foreach (var (name, value) in request.ClientHeaders)
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        foreach (var (name, value) in deployment.Options.Headers)
        {
            message.Headers.Remove(name);
            message.Headers.TryAddWithoutValidation(name, value);
        }
    }
}
