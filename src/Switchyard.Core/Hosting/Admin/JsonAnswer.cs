using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Switchyard.Hosting.Admin;

/// <summary>
/// A typed JSON answer serialized through its source-generated type info into one buffer, so it is
/// sent with a <c>Content-Length</c> as the admin API always has (<c>TypedResults.Json</c> streams it chunked).
/// </summary>
internal sealed class JsonAnswer<T>(T value, JsonTypeInfo<T> type, int status) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<T>, IContentTypeHttpResult
{
    public T? Value => value;

    object? IValueHttpResult.Value => value;

    public int? StatusCode => status;

    public string ContentType => ApiBody.JsonType;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(value, type);
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = ContentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
    }
}
