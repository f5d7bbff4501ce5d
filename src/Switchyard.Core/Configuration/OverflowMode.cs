namespace Switchyard.Configuration;

internal enum OverflowMode
{
    Wait,
    Drop,
}
