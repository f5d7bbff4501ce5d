namespace Switchyard.Client;

/// <summary>What a registry prompt renders to.</summary>
public enum SwitchyardPromptType
{
    /// <summary>One string (<see cref="SwitchyardPrompt.Template"/>).</summary>
    Text,

    /// <summary>Chat messages (<see cref="SwitchyardPrompt.Messages"/>).</summary>
    Chat,
}
