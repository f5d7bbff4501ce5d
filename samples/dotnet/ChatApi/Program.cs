// A chat endpoint and a 👍/👎 feedback endpoint over a Switchyard gateway. The user and session of each call
// reach the gateway as x-switchyard-user and x-switchyard-session; the reply carries the gateway's trace id,
// which the feedback endpoint attaches the user's verdict to.
using Microsoft.Extensions.AI;
using Switchyard.Client;
using Switchyard.Samples.ChatApi;

var builder = WebApplication.CreateBuilder(args);
var model = builder.Configuration["Switchyard:Model"] ?? "sandbox";

// SWITCHYARD_URL and SWITCHYARD_API_KEY unless Switchyard:Url / Switchyard:ApiKey are configured.
builder.Services.AddSwitchyardChatClient(model, options =>
{
    if (builder.Configuration["Switchyard:Url"] is { } url)
    {
        options.Endpoint = new Uri(url);
    }

    options.ApiKey = builder.Configuration["Switchyard:ApiKey"];
    options.Defaults.Tags = ["sample:chat-api"];
});

var app = builder.Build();

app.MapPost("/chat", async (ChatRequest request, IChatClient chat, CancellationToken cancellationToken) =>
{
    if (string.IsNullOrWhiteSpace(request.Message))
    {
        return Results.BadRequest("message is required");
    }

    var options = new ChatOptions().WithSwitchyard(s =>
    {
        s.User = request.User;
        s.Session = request.Session;
    });
    var response = await chat.GetResponseAsync(request.Message, options, cancellationToken);
    return Results.Ok(new ChatReply(response.Text, response.GetSwitchyardTraceId()));
});

app.MapPost("/feedback", async (FeedbackRequest request, SwitchyardClient switchyard, CancellationToken cancellationToken) =>
{
    try
    {
        await switchyard.SendFeedbackAsync(request.TraceId, request.ThumbsUp, request.Comment, request.User, cancellationToken: cancellationToken);
        return Results.NoContent();
    }
    catch (ArgumentException ex)
    {
        return Results.BadRequest(ex.Message);
    }
    catch (HttpRequestException ex) when (ex.StatusCode is System.Net.HttpStatusCode.NotFound)
    {
        return Results.NotFound(ex.Message);
    }
});

app.Run();
