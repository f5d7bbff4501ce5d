namespace Switchyard.Spend;

/// <summary>What one or more calls add to a spend row; absent ids are empty strings.</summary>
internal readonly record struct SpendDelta(DateOnly Day, string KeyId, string UserId, string TeamId, string ModelGroup, SpendFigures Figures);
