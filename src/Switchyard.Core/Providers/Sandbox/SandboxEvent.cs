using System.Text;
using System.Text.Json;

namespace Switchyard.Providers.Sandbox;

/// <summary>One server-sent event of a simulated stream, and how long the model "thinks" before sending it.</summary>
internal readonly record struct SandboxEvent(byte[] Bytes, TimeSpan DelayBefore)
{
    private static readonly byte[] s_done = Encoding.UTF8.GetBytes("data: [DONE]\n\n");

    /// <summary>The <c>data: [DONE]</c> sentinel that ends an OpenAI chat stream.</summary>
    public static SandboxEvent Done => new(s_done, TimeSpan.Zero);

    /// <summary>An unnamed <c>data:</c> event (Chat Completions style).</summary>
    public static SandboxEvent Data(Action<Utf8JsonWriter> write, TimeSpan delayBefore) => Create(null, write, delayBefore);

    /// <summary>A named <c>event:</c> + <c>data:</c> event (Responses style).</summary>
    public static SandboxEvent Named(string name, Action<Utf8JsonWriter> write, TimeSpan delayBefore) => Create(name, write, delayBefore);

    private static SandboxEvent Create(string? name, Action<Utf8JsonWriter> write, TimeSpan delayBefore)
    {
        byte[] json = SandboxJson.Write(write);
        string prefix = name is null ? "data: " : $"event: {name}\ndata: ";
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(prefix) + json.Length + 2];
        int written = Encoding.UTF8.GetBytes(prefix, bytes);
        json.CopyTo(bytes, written);
        bytes[^2] = (byte)'\n';
        bytes[^1] = (byte)'\n';
        return new SandboxEvent(bytes, delayBefore);
    }
}
