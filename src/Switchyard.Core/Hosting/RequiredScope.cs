using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Identity;

namespace Switchyard.Hosting;

/// <summary>The marker an endpoint under <c>/api</c> carries when it accepts scopes other than the default.</summary>
internal sealed record RequiredScope(KeyScopes Scopes);
