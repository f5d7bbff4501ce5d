using System.Text.Json;
using Switchyard.Telemetry.Otlp;
using Xunit;

namespace Switchyard.Tests.Telemetry.Otlp;

/// <summary>Hand-built OTLP/JSON payloads, one per attribute vocabulary the mapper reads.</summary>
public sealed class OtlpJsonConventionTests
{
    [Fact]
    public void TryDecode_JsonEnvelope_ReadsIdsTimesStatusResourceScopeAndValueTypes()
    {
        var span = Decode("""
            [{"key":"s","value":{"stringValue":"x"}},
             {"key":"b","value":{"boolValue":true}},
             {"key":"i","value":{"intValue":"-5"}},
             {"key":"n","value":{"intValue":7}},
             {"key":"d","value":{"doubleValue":1.5}},
             {"key":"nan","value":{"doubleValue":"NaN"}},
             {"key":"raw","value":{"bytesValue":"AQID"}},
             {"key":"arr","value":{"arrayValue":{"values":[{"stringValue":"a"},{"intValue":"2"},{"kvlistValue":{"values":[{"key":"k","value":{"stringValue":"v"}}]}}]}}},
             {"key":"obj","value":{"kvlistValue":{"values":[{"key":"inner","value":{"kvlistValue":{"values":[{"key":"deep","value":{"boolValue":false}}]}}},{"key":"flat","value":{"stringValue":"f"}}]}}},
             {"key":"empty","value":{}},
             {"key":"unknown","value":{"stringValue":"y","futureValue":1},"futureField":true}]
            """);

        Assert.Equal(OtlpTestPayloads.TraceId, span.TraceId);
        Assert.Equal(OtlpTestPayloads.SpanId, span.SpanId);
        Assert.Equal(OtlpTestPayloads.ParentId, span.ParentSpanId);
        Assert.Equal(1_700_000_000_000_000_000, span.StartUnixNano);
        Assert.Equal(1_700_000_001_000_000_000, span.EndUnixNano);
        Assert.Equal(3, span.Kind);
        Assert.Equal(2, span.StatusCode);
        Assert.Equal("boom", span.StatusMessage);
        Assert.Equal("svc", span.ServiceName);
        Assert.Equal("scope", span.ScopeName);

        Assert.Equal("x", span.Attributes["s"]);
        Assert.Equal(true, span.Attributes["b"]);
        Assert.Equal(-5L, span.Attributes["i"]);
        Assert.Equal(7L, span.Attributes["n"]);
        Assert.Equal(1.5, span.Attributes["d"]);
        Assert.True(double.IsNaN((double)span.Attributes["nan"]!));
        Assert.Equal(new byte[] { 1, 2, 3 }, span.Attributes["raw"]);
        var array = Assert.IsType<object?[]>(span.Attributes["arr"]);
        Assert.Equal("a", array[0]);
        Assert.Equal(2L, array[1]);
        Assert.Equal("v", Assert.IsType<Dictionary<string, object?>>(array[2])["k"]);
        Assert.Equal(false, span.Attributes["obj.inner.deep"]);
        Assert.Equal("f", span.Attributes["obj.flat"]);
        Assert.False(span.Attributes.ContainsKey("obj"));
        Assert.Null(span.Attributes["empty"]);
        Assert.Equal("y", span.Attributes["unknown"]);
        Assert.Equal(ObservationType.Span, span.Type);
    }

    [Fact]
    public void TryDecode_JsonEnumNamesAndUppercaseHex_AreAccepted()
    {
        var body = """
            {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174",
              "name":"n","kind":"SPAN_KIND_SERVER","status":{"code":"STATUS_CODE_OK"}}]}]}]}
            """u8;

        Assert.True(OtlpTraceDecoder.TryDecode(body, OtlpEncoding.Json, out var spans, out var error), error);
        var span = Assert.Single(spans);
        Assert.Equal(OtlpTestPayloads.TraceId, span.TraceId);
        Assert.Null(span.ParentSpanId);
        Assert.Equal(2, span.Kind);
        Assert.Equal(1, span.StatusCode);
        Assert.Null(span.ServiceName);
    }

    [Fact]
    public void Map_CurrentGenAiConventions()
    {
        var span = Decode("""
            [{"key":"gen_ai.operation.name","value":{"stringValue":"text_completion"}},
             {"key":"gen_ai.provider.name","value":{"stringValue":"anthropic"}},
             {"key":"gen_ai.request.model","value":{"stringValue":"claude-x"}},
             {"key":"gen_ai.usage.input_tokens","value":{"intValue":"10"}},
             {"key":"gen_ai.usage.output_tokens","value":{"intValue":"4"}},
             {"key":"gen_ai.usage.cache_read.input_tokens","value":{"intValue":"3"}},
             {"key":"gen_ai.usage.reasoning.output_tokens","value":{"intValue":"2"}},
             {"key":"gen_ai.conversation.id","value":{"stringValue":"c1"}},
             {"key":"gen_ai.system_instructions","value":{"stringValue":"[{\"type\":\"text\",\"content\":\"Be brief.\"}]"}},
             {"key":"gen_ai.input.messages","value":{"arrayValue":{"values":[{"kvlistValue":{"values":[{"key":"role","value":{"stringValue":"user"}},{"key":"parts","value":{"arrayValue":{"values":[{"kvlistValue":{"values":[{"key":"type","value":{"stringValue":"text"}},{"key":"content","value":{"stringValue":"Hi"}}]}}]}}}]}}]}}},
             {"key":"gen_ai.output.messages","value":{"stringValue":"[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Hello\"}]}]"}}]
            """);

        Assert.Equal(ObservationType.Generation, span.Type);
        Assert.Equal("text_completion", span.Operation);
        Assert.Equal("anthropic", span.Provider);
        Assert.Equal("claude-x", span.Model);
        Assert.Equal((10L, 4L, 3L, 2L), (span.InputTokens, span.OutputTokens, span.CachedInputTokens, span.ReasoningTokens));
        Assert.Equal("c1", span.SessionId);

        // Structured input messages become JSON text, with the system instructions prepended.
        var input = JsonDocument.Parse(span.Input!).RootElement;
        Assert.Equal(2, input.GetArrayLength());
        Assert.Equal("system", input[0].GetProperty("role").GetString());
        Assert.Equal("Be brief.", input[0].GetProperty("parts")[0].GetProperty("content").GetString());
        Assert.Equal("Hi", input[1].GetProperty("parts")[0].GetProperty("content").GetString());
        Assert.Equal("""[{"role":"assistant","parts":[{"type":"text","content":"Hello"}]}]""", span.Output);
    }

    [Fact]
    public void Map_OlderGenAiNames_AttributesAndResponseModelPreference()
    {
        var span = Decode("""
            [{"key":"gen_ai.system","value":{"stringValue":"openai"}},
             {"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}},
             {"key":"gen_ai.response.model","value":{"stringValue":"gpt-4o-2024"}},
             {"key":"gen_ai.usage.prompt_tokens","value":{"intValue":"11"}},
             {"key":"gen_ai.usage.completion_tokens","value":{"intValue":"5"}},
             {"key":"gen_ai.prompt.0.role","value":{"stringValue":"user"}},
             {"key":"gen_ai.prompt.0.content","value":{"stringValue":"Q"}},
             {"key":"gen_ai.completion.0.role","value":{"stringValue":"assistant"}},
             {"key":"gen_ai.completion.0.content","value":{"stringValue":"A"}}]
            """);

        Assert.Equal(ObservationType.Generation, span.Type);
        Assert.Equal("openai", span.Provider);
        Assert.Equal("gpt-4o-2024", span.Model);
        Assert.Equal(11, span.InputTokens);
        Assert.Equal(5, span.OutputTokens);
        Assert.Equal("""[{"role":"user","content":"Q"}]""", span.Input);
        Assert.Equal("""[{"role":"assistant","content":"A"}]""", span.Output);
    }

    [Fact]
    public void Map_OlderGenAiEvents_MessageAndChoiceEvents()
    {
        var span = Decode(
            """[{"key":"gen_ai.system","value":{"stringValue":"openai"}},{"key":"gen_ai.request.model","value":{"stringValue":"m"}}]""",
            """
            [{"timeUnixNano":"1700000000500000000","name":"gen_ai.system.message","attributes":[{"key":"content","value":{"stringValue":"Be nice"}}]},
             {"timeUnixNano":"1700000000500000000","name":"gen_ai.user.message","attributes":[{"key":"content","value":{"stringValue":"Hi"}},{"key":"gen_ai.system","value":{"stringValue":"openai"}}]},
             {"timeUnixNano":"1700000000900000000","name":"gen_ai.choice","attributes":[{"key":"index","value":{"intValue":"0"}},{"key":"finish_reason","value":{"stringValue":"stop"}},{"key":"message","value":{"kvlistValue":{"values":[{"key":"content","value":{"stringValue":"Hello"}}]}}}]}]
            """);

        Assert.Equal(3, span.Events.Count);
        Assert.Equal(1_700_000_000_500_000_000, span.Events[0].TimeUnixNano);
        Assert.Equal("""[{"content":"Be nice","role":"system"},{"content":"Hi","role":"user"}]""", span.Input);
        Assert.Equal("""[{"index":0,"finish_reason":"stop","message":{"content":"Hello"}}]""", span.Output);
    }

    [Fact]
    public void Map_OlderGenAiContentEvents_PromptAndCompletionText()
    {
        var span = Decode(
            "[]",
            """
            [{"name":"gen_ai.content.prompt","attributes":[{"key":"gen_ai.prompt","value":{"stringValue":"Tell me a joke"}}]},
             {"name":"gen_ai.content.completion","attributes":[{"key":"gen_ai.completion","value":{"stringValue":"No."}}]}]
            """);

        Assert.Equal("Tell me a joke", span.Input);
        Assert.Equal("No.", span.Output);
    }

    [Theory]
    [InlineData("LLM", ObservationType.Generation)]
    [InlineData("EMBEDDING", ObservationType.Embedding)]
    [InlineData("TOOL", ObservationType.Tool)]
    [InlineData("RETRIEVER", ObservationType.Retrieval)]
    [InlineData("RERANKER", ObservationType.Retrieval)]
    [InlineData("AGENT", ObservationType.Agent)]
    [InlineData("CHAIN", ObservationType.Chain)]
    [InlineData("GUARDRAIL", ObservationType.Guardrail)]
    [InlineData("EVALUATOR", ObservationType.Evaluator)]
    [InlineData("PROMPT", ObservationType.Span)]
    public void Map_OpenInferenceSpanKinds(string kind, string expected)
    {
        var span = Decode($$$"""[{"key":"openinference.span.kind","value":{"stringValue":"{{{kind}}}"}}]""");

        Assert.Equal(expected, span.Type);
    }

    [Theory]
    [InlineData("embeddings", ObservationType.Embedding)]
    [InlineData("execute_tool", ObservationType.Tool)]
    [InlineData("invoke_agent", ObservationType.Agent)]
    [InlineData("create_agent", ObservationType.Agent)]
    [InlineData("generate_content", ObservationType.Generation)]
    [InlineData("chat", ObservationType.Generation)]
    public void Map_GenAiOperations(string operation, string expected)
    {
        var span = Decode($$$"""[{"key":"gen_ai.operation.name","value":{"stringValue":"{{{operation}}}"}}]""");

        Assert.Equal(expected, span.Type);
        Assert.Equal(operation, span.Operation);
    }

    [Fact]
    public void Map_OpenInferenceLlmSpan()
    {
        var span = Decode("""
            [{"key":"openinference.span.kind","value":{"stringValue":"LLM"}},
             {"key":"llm.model_name","value":{"stringValue":"gpt-4o-mini"}},
             {"key":"llm.system","value":{"stringValue":"openai"}},
             {"key":"llm.provider","value":{"stringValue":"azure"}},
             {"key":"llm.token_count.prompt","value":{"intValue":"20"}},
             {"key":"llm.token_count.completion","value":{"intValue":"8"}},
             {"key":"llm.token_count.prompt_details.cache_read","value":{"intValue":"6"}},
             {"key":"llm.token_count.completion_details.reasoning","value":{"intValue":"1"}},
             {"key":"input.value","value":{"stringValue":"{\"query\":\"q\"}"}},
             {"key":"output.value","value":{"stringValue":"answer"}},
             {"key":"session.id","value":{"stringValue":"s9"}},
             {"key":"user.id","value":{"stringValue":"u9"}},
             {"key":"metadata","value":{"stringValue":"{\"team\":\"search\",\"version\":3}"}},
             {"key":"tag.tags","value":{"arrayValue":{"values":[{"stringValue":"prod"},{"stringValue":"beta"}]}}}]
            """);

        Assert.Equal(ObservationType.Generation, span.Type);
        Assert.Equal("gpt-4o-mini", span.Model);
        Assert.Equal("azure", span.Provider);
        Assert.Equal((20L, 8L, 6L, 1L), (span.InputTokens, span.OutputTokens, span.CachedInputTokens, span.ReasoningTokens));
        Assert.Equal("""{"query":"q"}""", span.Input);
        Assert.Equal("answer", span.Output);
        Assert.Equal("s9", span.SessionId);
        Assert.Equal("u9", span.UserId);
        Assert.Equal("search", span.Metadata["team"]);
        Assert.Equal("3", span.Metadata["version"]);
        Assert.Equal(["prod", "beta"], span.Tags);
    }

    [Fact]
    public void Map_OpenInferenceIndexedMessages_WhenNoInputValue()
    {
        var span = Decode("""
            [{"key":"openinference.span.kind","value":{"stringValue":"LLM"}},
             {"key":"llm.input_messages.1.message.role","value":{"stringValue":"user"}},
             {"key":"llm.input_messages.1.message.content","value":{"stringValue":"second"}},
             {"key":"llm.input_messages.0.message.role","value":{"stringValue":"system"}},
             {"key":"llm.input_messages.0.message.content","value":{"stringValue":"first"}},
             {"key":"llm.output_messages.0.message.content","value":{"stringValue":"out"}}]
            """);

        Assert.Equal("""[{"message":{"role":"system","content":"first"}},{"message":{"role":"user","content":"second"}}]""", span.Input);
        Assert.Equal("""[{"message":{"content":"out"}}]""", span.Output);
    }

    [Fact]
    public void Map_LangfuseSdkAttributes_WinOverOtherConventions()
    {
        var span = Decode("""
            [{"key":"langfuse.observation.type","value":{"stringValue":"guardrail"}},
             {"key":"openinference.span.kind","value":{"stringValue":"LLM"}},
             {"key":"langfuse.observation.input","value":{"stringValue":"{\"text\":\"in\"}"}},
             {"key":"langfuse.observation.output","value":{"stringValue":"\"out\""}},
             {"key":"input.value","value":{"stringValue":"ignored"}},
             {"key":"langfuse.observation.model.name","value":{"stringValue":"lf-model"}},
             {"key":"gen_ai.request.model","value":{"stringValue":"other"}},
             {"key":"langfuse.observation.usage_details","value":{"stringValue":"{\"input\":12,\"output\":3,\"total\":15,\"cache_read_input_tokens\":4,\"reasoning_tokens\":2}"}},
             {"key":"gen_ai.usage.input_tokens","value":{"intValue":"999"}},
             {"key":"langfuse.trace.name","value":{"stringValue":"checkout"}},
             {"key":"langfuse.user.id","value":{"stringValue":"lf-user"}},
             {"key":"user.id","value":{"stringValue":"otel-user"}},
             {"key":"session.id","value":{"stringValue":"sess"}},
             {"key":"langfuse.trace.tags","value":{"arrayValue":{"values":[{"stringValue":"a"},{"stringValue":"b"},{"stringValue":"a"}]}}},
             {"key":"langfuse.trace.metadata.region","value":{"stringValue":"eu"}},
             {"key":"langfuse.trace.metadata.shared","value":{"stringValue":"trace"}},
             {"key":"langfuse.observation.metadata.shared","value":{"stringValue":"observation"}},
             {"key":"langfuse.observation.metadata.attempt","value":{"intValue":"2"}}]
            """);

        Assert.Equal(ObservationType.Guardrail, span.Type);
        Assert.Equal("""{"text":"in"}""", span.Input);
        Assert.Equal("\"out\"", span.Output);
        Assert.Equal("lf-model", span.Model);
        Assert.Equal((12L, 3L, 4L, 2L), (span.InputTokens, span.OutputTokens, span.CachedInputTokens, span.ReasoningTokens));
        Assert.Equal("checkout", span.TraceName);
        Assert.Equal("lf-user", span.UserId);
        Assert.Equal("sess", span.SessionId);
        Assert.Equal(["a", "b"], span.Tags);
        Assert.Equal("eu", span.Metadata["region"]);
        Assert.Equal("observation", span.Metadata["shared"]);
        Assert.Equal("2", span.Metadata["attempt"]);
    }

    [Theory]
    [InlineData("generation")]
    [InlineData("embedding")]
    [InlineData("tool")]
    [InlineData("retriever")]
    [InlineData("agent")]
    [InlineData("chain")]
    [InlineData("evaluator")]
    [InlineData("event")]
    [InlineData("span")]
    public void Map_LangfuseObservationTypes(string type)
    {
        var span = Decode($$$"""[{"key":"langfuse.observation.type","value":{"stringValue":"{{{type}}}"}}]""");

        Assert.Equal(type == "retriever" ? ObservationType.Retrieval : type, span.Type);
    }

    [Fact]
    public void Map_LangfuseJsonStringTagsAndMetadataObject()
    {
        var span = Decode("""
            [{"key":"langfuse.trace.tags","value":{"stringValue":"[\"x\",\"y\"]"}},
             {"key":"langfuse.observation.metadata","value":{"stringValue":"{\"k\":\"v\",\"n\":{\"a\":1}}"}},
             {"key":"langfuse.observation.usage_details","value":{"kvlistValue":{"values":[{"key":"input","value":{"intValue":"7"}}]}}}]
            """);

        Assert.Equal(["x", "y"], span.Tags);
        Assert.Equal("v", span.Metadata["k"]);
        Assert.Equal("""{"a":1}""", span.Metadata["n"]);
        Assert.Equal(7, span.InputTokens);
    }

    [Fact]
    public void Map_PlainSpan_HasNoObservationFields()
    {
        var span = Decode("""[{"key":"http.request.method","value":{"stringValue":"GET"}}]""");

        Assert.Equal(ObservationType.Span, span.Type);
        Assert.Null(span.Model);
        Assert.Null(span.InputTokens);
        Assert.Null(span.Input);
        Assert.Empty(span.Tags);
        Assert.Empty(span.Metadata);
    }

    private static IngestedSpan Decode(string attributesJson, string eventsJson = "[]")
    {
        Assert.True(
            OtlpTraceDecoder.TryDecode(OtlpTestPayloads.JsonRequest(attributesJson, eventsJson), OtlpEncoding.Json, out var spans, out var error),
            error);
        return Assert.Single(spans);
    }
}
