using System.ClientModel.Primitives;

namespace Switchyard.Client;

/// <summary>Sends no credentials: for a gateway that serves inference without a key (no key was configured).</summary>
internal sealed class AnonymousAuthenticationPolicy : AuthenticationPolicy
{
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
        ProcessNext(message, pipeline, currentIndex);

    public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
        ProcessNextAsync(message, pipeline, currentIndex);
}
