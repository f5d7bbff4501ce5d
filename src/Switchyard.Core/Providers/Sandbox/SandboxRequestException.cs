namespace Switchyard.Providers.Sandbox;

/// <summary>A request the sandbox refuses, turned into a 400 <c>invalid_request_error</c> before it leaves the adapter.</summary>
internal sealed class SandboxRequestException : Exception
{
    public SandboxRequestException()
    {
    }

    public SandboxRequestException(string message)
        : base(message)
    {
    }

    public SandboxRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SandboxRequestException(string message, string? param)
        : base(message)
    {
        Param = param;
    }

    /// <summary>The offending request field, as OpenAI names it in <c>error.param</c>.</summary>
    public string? Param { get; }
}
