namespace Switchyard.Configuration;

/// <summary>What a call gets when its guard fails rather than decides.</summary>
internal enum GuardErrorMode
{
    Allow,
    Block,
}
