using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

internal sealed class KeyOptions
{
    /// <summary>How long the old secret keeps working after a rotation, unless the rotation says otherwise.</summary>
    [ConfigurationKeyName("rotation_grace")]
    public TimeSpan RotationGrace { get; set; } = TimeSpan.FromHours(24);
}
