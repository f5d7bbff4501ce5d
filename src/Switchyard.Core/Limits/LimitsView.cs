namespace Switchyard.Limits;

/// <summary><c>{"rpm":60,"tpm":100000,"max_concurrent":8}</c>, null for no limit; the same in answers and in storage.</summary>
internal sealed record LimitsView(long? Rpm, long? Tpm, int? MaxConcurrent);
