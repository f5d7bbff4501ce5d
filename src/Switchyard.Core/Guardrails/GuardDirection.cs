namespace Switchyard.Guardrails;

internal enum GuardDirection
{
    Input,
    Output,
}
