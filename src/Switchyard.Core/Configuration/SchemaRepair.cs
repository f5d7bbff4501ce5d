namespace Switchyard.Configuration;

/// <summary>What a schema guard does with an answer that does not validate, before its action.</summary>
internal enum SchemaRepair
{
    /// <summary>Nothing: the action applies at once.</summary>
    None,

    /// <summary>Ask once more, through the gateway, with the validation errors appended; the action applies only if that answer fails too.</summary>
    Retry,
}
