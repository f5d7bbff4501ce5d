using Json.Schema;

namespace Switchyard.Guardrails.Schema;

/// <summary>
/// A schema built once, or the reason it could not be: a broken schema is cached too, so a request that
/// sends one on every call does not pay for a failed build each time.
/// </summary>
internal sealed record CompiledSchema(JsonSchema? Schema, string? Error);
