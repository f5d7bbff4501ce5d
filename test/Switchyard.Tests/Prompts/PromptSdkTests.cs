using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;
using Switchyard.Tests.TestUtilities;
using Switchyard.Tests.Identity;
using Xunit;

namespace Switchyard.Tests.Prompts;

/// <summary>The official OpenAI .NET SDK calling the gateway with a prompt reference, as an application would.</summary>
public sealed class PromptSdkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_sdk_names_a_prompt_in_the_body_and_gets_the_rendered_prompts_answer()
    {
        await using var gateway = await TestGateway.StartAsync();
        await gateway.CreateAsync("/api/prompts", """{"name":"greeter","prompt":[{"role":"system","content":"Greet {{name}} in {{language}}."}],"variables":[{"name":"name"},{"name":"language","default":"French"}],"model":"sandbox","labels":["production"]}""");
        var chat = new OpenAIClient(new ApiKeyCredential("sk-anything"), new OpenAIClientOptions { Endpoint = new Uri(gateway.BaseUrl + "/v1") }).GetChatClient("sandbox");

        var options = new ChatCompletionOptions();
#pragma warning disable SCME0001 // JsonPatch is how the SDK sends a field it has no property for
        options.Patch.Set("$.prompt"u8, BinaryData.FromString("""{"name":"greeter","variables":{"name":"Ada"}}"""));
#pragma warning restore SCME0001
        ClientResult<ChatCompletion> result = await chat.CompleteChatAsync([new UserChatMessage("Please.")], options, Ct);

        Assert.False(string.IsNullOrWhiteSpace(result.Value.Content[0].Text));
        Assert.Equal("greeter@1; label=production", result.GetRawResponse().Headers.GetFirstValue("x-switchyard-prompt"));
        var row = await RecordedCalls.WaitForAsync(gateway, result.GetRawResponse().Headers.GetFirstValue("x-switchyard-trace-id")!, Ct);
        Assert.Equal("greeter", row["prompt_name"]);
        Assert.Equal(1L, row["prompt_version"]);
        var sent = (string)row["request_content"]!;
        Assert.Contains("Greet Ada in French.", sent, StringComparison.Ordinal);
        Assert.Contains("Please.", sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sdk_names_a_prompt_in_headers_through_a_pipeline_policy()
    {
        await using var gateway = await TestGateway.StartAsync();
        await gateway.CreateAsync("/api/prompts", """{"name":"greeter","prompt":"Greet {{name}}.","model":"sandbox"}""");
        var clientOptions = new OpenAIClientOptions { Endpoint = new Uri(gateway.BaseUrl + "/v1") };
        clientOptions.AddPolicy(new PromptHeaders("greeter@1", """{"name":"Grace"}"""), PipelinePosition.PerCall);
        var chat = new OpenAIClient(new ApiKeyCredential("sk-anything"), clientOptions).GetChatClient("sandbox");

        ClientResult<ChatCompletion> result = await chat.CompleteChatAsync([new UserChatMessage("Hi")], cancellationToken: Ct);

        Assert.Equal("greeter@1", result.GetRawResponse().Headers.GetFirstValue("x-switchyard-prompt"));
        var row = await RecordedCalls.WaitForAsync(gateway, result.GetRawResponse().Headers.GetFirstValue("x-switchyard-trace-id")!, Ct);
        Assert.Contains("Greet Grace.", (string)row["request_content"]!, StringComparison.Ordinal);
    }

    private sealed class PromptHeaders(string prompt, string variables) : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            Set(message);
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            Set(message);
            return ProcessNextAsync(message, pipeline, currentIndex);
        }

        private void Set(PipelineMessage message)
        {
            message.Request.Headers.Set("x-switchyard-prompt", prompt);
            message.Request.Headers.Set("x-switchyard-prompt-variables", variables);
        }
    }
}
