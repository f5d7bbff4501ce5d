namespace Switchyard.Recording;

/// <summary>
/// Where recorded gateway calls are written. The call writer opens one session on its own thread and
/// writes batches through it; any number of writers (gateways) may write to the same store at once.
/// </summary>
internal interface ICallRecordStore
{
    ValueTask<ICallRecordSession> OpenSessionAsync(CancellationToken cancellationToken);
}
