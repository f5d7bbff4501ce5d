using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Switchyard.Evaluation.Datasets;
using Switchyard.Identity;

namespace Switchyard.Hosting;

/// <summary>
/// <c>/api/datasets</c>: evaluation datasets as immutable versions. A version is imported from JSONL or a JSON
/// array (replacing the items, or appended after the newest version's with <c>?append=true</c>) and exported
/// as JSONL.
/// </summary>
internal static partial class DatasetsApi
{
    /// <summary>The largest import: 32 MB, about 100,000 short items.</summary>
    public const long MaxImportBytes = 32 * 1024 * 1024;

    public static RouteGroupBuilder MapDatasetsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/datasets/{name}/versions", async (string name, HttpContext http, IDatasetStore store, TimeProvider time) =>
        {
            if (!DatasetName().IsMatch(name))
            {
                return ApiBody.BadRequest("name: 1–128 letters, digits, '-', '_' or '.', starting with a letter or digit.");
            }

            using var body = await Ingress.RequestBodyReader.ReadAsync(http.Request, MaxImportBytes, http.RequestAborted).ConfigureAwait(false);
            if (body is null)
            {
                return ApiBody.Error(413, $"The body is larger than {MaxImportBytes} bytes; import in several appended versions.", "request_too_large");
            }

            if (!System.Text.Unicode.Utf8.IsValid(body.Span))
            {
                return ApiBody.BadRequest("The body is not valid UTF-8.");
            }

            if (DatasetImport.Read(body.Span, out var problem) is not { } items)
            {
                return ApiBody.BadRequest(problem!);
            }

            var append = http.Request.Query["append"].ToString() is "true" or "1";
            var message = http.Request.Query["message"].ToString() is { Length: > 0 } m ? m[..Math.Min(m.Length, 1000)] : null;
            var version = await store.AddVersionAsync(name, items, append, Reach.Of(http).Key?.Id ?? "admin", message, time.GetUtcNow(), http.RequestAborted).ConfigureAwait(false);
            return ApiBody.Json(json => WriteVersion(json, version), 201);
        });

        api.MapGet("/datasets", async (IDatasetStore store, HttpContext http) =>
        {
            var all = await store.ListAsync(http.RequestAborted).ConfigureAwait(false);
            return ApiBody.Json(json =>
            {
                json.WriteStartObject();
                json.WriteString("object", "list");
                json.WriteStartArray("data");
                foreach (var version in all)
                {
                    WriteVersion(json, version);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            });
        });

        api.MapGet("/datasets/{name}", async (string name, IDatasetStore store, HttpContext http) =>
            await store.GetVersionAsync(name, null, http.RequestAborted).ConfigureAwait(false) is { } version
                ? ApiBody.Json(json => WriteVersion(json, version))
                : ApiBody.Error(404, $"There is no dataset named '{name}'.", "not_found"));

        api.MapGet("/datasets/{name}/versions/{version:int}/items", async (string name, int version, IDatasetStore store, HttpContext http) =>
        {
            if (await store.GetVersionAsync(name, version, http.RequestAborted).ConfigureAwait(false) is not { } found)
            {
                return ApiBody.Error(404, $"Dataset '{name}' has no version {version}.", "not_found");
            }

            var query = http.Request.Query;
            if (query["format"].ToString() == "jsonl")
            {
                var all = await store.ItemsAsync(name, version, 0, found.ItemCount, http.RequestAborted).ConfigureAwait(false);
                var buffer = new System.Buffers.ArrayBufferWriter<byte>();
                foreach (var item in all)
                {
                    using (var json = new Utf8JsonWriter(buffer))
                    {
                        WriteItem(json, item);
                    }

                    System.Buffers.BuffersExtensions.Write(buffer, "\n"u8);
                }

                return Results.Bytes(buffer.WrittenMemory.ToArray(), "application/x-ndjson", $"{name}-v{version}.jsonl");
            }

            var offset = int.TryParse(query["offset"], NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o : 0;
            var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, 1000) : 100;
            var items = await store.ItemsAsync(name, version, offset, limit, http.RequestAborted).ConfigureAwait(false);
            return ApiBody.Json(json =>
            {
                json.WriteStartObject();
                json.WriteString("object", "list");
                json.WriteNumber("version", version);
                json.WriteNumber("total", found.ItemCount);
                json.WriteStartArray("data");
                foreach (var item in items)
                {
                    WriteItem(json, item);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            });
        });

        return api;
    }

    private static void WriteVersion(Utf8JsonWriter json, DatasetVersion version)
    {
        json.WriteStartObject();
        json.WriteString("object", "dataset_version");
        json.WriteString("name", version.Name);
        json.WriteNumber("version", version.Version);
        json.WriteNumber("items", version.ItemCount);
        json.WriteString("author", version.Author);
        json.WriteString("message", version.Message);
        json.WriteString("created_at", version.CreatedAt);
        json.WriteEndObject();
    }

    /// <summary>An item as imported, so an export imports again unchanged.</summary>
    private static void WriteItem(Utf8JsonWriter json, DatasetItem item)
    {
        json.WriteStartObject();
        json.WriteString("id", item.Id);
        json.WritePropertyName("input");
        json.WriteRawValue(item.InputJson, skipInputValidation: true);
        foreach (var (name, raw) in new[] { ("expected", item.ExpectedJson), ("context", item.ContextJson), ("metadata", item.MetadataJson) })
        {
            if (raw is not null)
            {
                json.WritePropertyName(name);
                json.WriteRawValue(raw, skipInputValidation: true);
            }
        }

        if (item.Tags.Count > 0)
        {
            json.WriteStartArray("tags");
            foreach (var tag in item.Tags)
            {
                json.WriteStringValue(tag);
            }

            json.WriteEndArray();
        }

        if (item.SourceTraceId is { } trace)
        {
            json.WriteString("source_trace_id", trace);
        }

        json.WriteEndObject();
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex DatasetName();
}
