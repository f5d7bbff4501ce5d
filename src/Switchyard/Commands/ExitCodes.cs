namespace Switchyard.Cli.Commands;

/// <summary>Process exit codes that scripts can rely on.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int InvalidConfiguration = 2;
    public const int Refused = 3;
    public const int StartFailed = 4;
    public const int RequestFailed = 5;
}
