namespace Switchyard.Guardrails.Pii;

/// <summary>
/// The entity type names the detector reports. They follow Presidio's names, which the development set
/// and most PII tooling use, so predictions can be scored and compared without a mapping table.
/// </summary>
internal static class PiiTypes
{
    public const string EmailAddress = "EMAIL_ADDRESS";
    public const string PhoneNumber = "PHONE_NUMBER";
    public const string CreditCard = "CREDIT_CARD";
    public const string IbanCode = "IBAN_CODE";
    public const string UsSsn = "US_SSN";
    public const string IpAddress = "IP_ADDRESS";
    public const string Person = "PERSON";
    public const string Location = "LOCATION";
    public const string Secret = "SECRET";

    /// <summary>Every type the detector can report, in a stable order.</summary>
    public static IReadOnlyList<string> All { get; } =
        [EmailAddress, PhoneNumber, CreditCard, IbanCode, UsSsn, IpAddress, Person, Location, Secret];
}
