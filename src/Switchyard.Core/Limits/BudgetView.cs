namespace Switchyard.Limits;

/// <summary>
/// <c>{"max_usd":"25","window":"monthly","mode":"hard","alert_thresholds":[0.5,0.8,1]}</c>; the same in answers
/// and in storage. The amount is a string, like every USD amount in the API: exact, whatever the client's number type.
/// </summary>
internal sealed record BudgetView(string MaxUsd, string Window, string Mode, IReadOnlyList<double> AlertThresholds);
