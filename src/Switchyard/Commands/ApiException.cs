namespace Switchyard.Cli.Commands;

/// <summary>A 4xx or 5xx answer from the admin API: its status and the message from its error body.</summary>
internal sealed class ApiException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
