using Switchyard.Identity;

namespace Switchyard.Hosting;

/// <summary>The marker an endpoint under <c>/api</c> carries when it accepts scopes other than the default.</summary>
internal sealed record RequiredScope(KeyScopes Scopes);
