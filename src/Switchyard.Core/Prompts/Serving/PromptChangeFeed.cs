namespace Switchyard.Prompts.Serving;

/// <summary>
/// Says which prompt changed (a version added, a label moved), so what the gateway holds in memory is
/// dropped at once. Cluster mode will feed it from the other instances too.
/// </summary>
internal sealed class PromptChangeFeed
{
    public event Action<string>? Changed;

    public void Publish(string name) => Changed?.Invoke(name);
}
