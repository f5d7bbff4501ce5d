// The SDK marks its Responses client experimental (OPENAI001); these tests exist to follow it as it changes.
#pragma warning disable OPENAI001

using System.ClientModel;
using System.Text.Json;
using OpenAI;
using OpenAI.Responses;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Gateway;

/// <summary>Function calling on the Responses API, through the gateway to the sandbox, with the official OpenAI .NET SDK.</summary>
public sealed class ResponsesToolsSdkTests : IAsyncLifetime
{
    private static readonly BinaryData s_weatherParameters = BinaryData.FromString("""
        {"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city","unit"],"additionalProperties":false}
        """);

    private TestGateway _gateway = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _gateway = await TestGateway.StartAsync();

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task A_response_with_a_function_tool_calls_it_and_the_answer_to_its_output_is_text()
    {
        var client = Client();
        var options = Options("What is the weather in Oslo?");

        ResponseResult response = await client.CreateResponseAsync(options, Ct);

        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(response.OutputItems));
        Assert.Equal("get_weather", call.FunctionName);
        Assert.StartsWith("call_sbx_", call.CallId, StringComparison.Ordinal);
        using (var arguments = JsonDocument.Parse(call.FunctionArguments))
        {
            Assert.Contains(arguments.RootElement.GetProperty("unit").GetString(), (string[])["celsius", "fahrenheit"]);
            Assert.Equal(JsonValueKind.String, arguments.RootElement.GetProperty("city").ValueKind);
        }

        Assert.True(response.Usage.OutputTokenCount > 0);

        // The conversation goes on with the function's output, and the answer is a message about it.
        var next = Options("What is the weather in Oslo?");
        next.InputItems.Add(call);
        next.InputItems.Add(ResponseItem.CreateFunctionCallOutputItem(call.CallId, "rainy, 9C"));
        ResponseResult answer = await client.CreateResponseAsync(next, Ct);
        Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(answer.OutputItems));
        Assert.Contains("rainy, 9C", answer.GetOutputText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_streamed_response_with_a_function_tool_streams_the_call()
    {
        var options = Options("What is the weather in Oslo?");
        options.StreamingEnabled = true;
        var deltas = new System.Text.StringBuilder();
        StreamingResponseFunctionCallArgumentsDoneUpdate? done = null;
        FunctionCallResponseItem? item = null;
        ResponseResult? completed = null;

        await foreach (var update in await Client().CreateResponseStreamingAsync(options, Ct))
        {
            switch (update)
            {
                case StreamingResponseFunctionCallArgumentsDeltaUpdate delta:
                    deltas.Append(delta.Delta.ToString());
                    break;
                case StreamingResponseFunctionCallArgumentsDoneUpdate argumentsDone:
                    done = argumentsDone;
                    break;
                case StreamingResponseOutputItemDoneUpdate { Item: FunctionCallResponseItem call }:
                    item = call;
                    break;
                case StreamingResponseCompletedUpdate end:
                    completed = end.Response;
                    break;
                default:
                    break;
            }
        }

        Assert.NotNull(done);
        Assert.NotNull(item);
        Assert.NotNull(completed);
        Assert.Equal(deltas.ToString(), done.FunctionArguments.ToString());
        Assert.Equal("get_weather", done.FunctionName);
        Assert.Equal(deltas.ToString(), item.FunctionArguments.ToString());
        Assert.Equal("get_weather", item.FunctionName);
        var final = Assert.IsType<FunctionCallResponseItem>(Assert.Single(completed.OutputItems));
        Assert.Equal(item.CallId, final.CallId);
        using var arguments = JsonDocument.Parse(deltas.ToString());
        Assert.Equal(JsonValueKind.String, arguments.RootElement.GetProperty("city").ValueKind);
    }

    private ResponsesClient Client() =>
        new OpenAIClient(new ApiKeyCredential("sk-anything"), new OpenAIClientOptions { Endpoint = new Uri(_gateway.BaseUrl + "/v1") }).GetResponsesClient();

    private static CreateResponseOptions Options(string question)
    {
        var options = new CreateResponseOptions { Model = "sandbox" };
        options.InputItems.Add(ResponseItem.CreateUserMessageItem(question));
        options.Tools.Add(ResponseTool.CreateFunctionTool("get_weather", s_weatherParameters, strictModeEnabled: true, functionDescription: "The weather in a city"));
        return options;
    }
}
