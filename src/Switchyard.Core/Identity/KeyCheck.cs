namespace Switchyard.Identity;

/// <summary>Why a presented key was not accepted, or that it was.</summary>
internal enum KeyCheck
{
    Valid,
    Unknown,
    Revoked,
    Expired,

    /// <summary>The secret was replaced by a rotation and its grace period is over.</summary>
    RotatedOut,
}
