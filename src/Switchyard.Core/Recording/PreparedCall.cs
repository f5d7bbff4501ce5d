namespace Switchyard.Recording;

/// <summary>A call as it is stored: the record, and its content already cut to the capture limit and redacted.</summary>
internal readonly record struct PreparedCall(CallRecord Record, StoredContent Request, StoredContent Response);
