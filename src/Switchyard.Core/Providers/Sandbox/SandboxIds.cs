namespace Switchyard.Providers.Sandbox;

/// <summary>
/// Identifiers of simulated answers. Each carries an <c>sbx</c> marker so a record or a log line shows at a
/// glance that no real model answered. They are unique per call, as a real upstream's are.
/// </summary>
internal static class SandboxIds
{
    public static string ChatCompletion() => "chatcmpl-sbx-" + Unique();

    public static string Response() => "resp_sbx_" + Unique();

    public static string Message() => "msg_sbx_" + Unique();

    public static string FunctionCall() => "fc_sbx_" + Unique();

    public static string RequestId() => "req_sbx_" + Unique();

    /// <summary>Tool call ids are part of the answer, so they follow the answer's seed.</summary>
    public static string ToolCall(SandboxRandom random) => "call_sbx_" + random.NextUInt64().ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    private static string Unique() => Guid.NewGuid().ToString("N")[..24];
}
