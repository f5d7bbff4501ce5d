using Switchyard.Guardrails.Pii;
using Xunit;

namespace Switchyard.Tests.Guardrails.Pii;

/// <summary>The validated recognisers: what passes its checksum or table is found, what fails is not PII.</summary>
public sealed class StructuredRecognizerTests
{
    private static readonly PiiDetector Detector = new();

    private static List<(string Type, string Value)> Found(string text) =>
        [.. Detector.Find(text).Select(e => (e.Type, text.Substring(e.Start, e.Length)))];

    [Theory]
    [InlineData("4111111111111111")] // Visa
    [InlineData("4012-8888-8888-1881")]
    [InlineData("4012 8888 8888 1881")]
    [InlineData("5555555555554444")] // Mastercard
    [InlineData("2221000000000009")] // Mastercard 2-series
    [InlineData("371449635398431")] // Amex
    [InlineData("6011000400000000")] // Discover
    [InlineData("30569309025904")] // Diners
    [InlineData("3528000700000000")] // JCB
    [InlineData("6200000000000005")] // UnionPay
    [InlineData("6759649826438453")] // Maestro
    public void Cards_with_a_valid_luhn_digit_and_issuer_are_found(string card)
    {
        Assert.Equal([(PiiTypes.CreditCard, card)], Found($"my card is {card} thanks"));
    }

    [Theory]
    [InlineData("4012-8888-8888-1882")] // Luhn fails
    [InlineData("4111111111111112")]
    [InlineData("36168002586008")]
    [InlineData("9111111111111111")] // no issuer starts with 9
    [InlineData("1748503543012")]
    [InlineData("57 68 61 74 20 69 73 20")] // a hex dump whose digits pass Luhn: cards are grouped in fours
    public void Cards_failing_luhn_or_issuer_are_not_pii(string card)
    {
        Assert.DoesNotContain(Detector.Find($"my credit card number is {card}"), e => e.Type == PiiTypes.CreditCard);
    }

    [Fact]
    public void Cards_written_one_after_another_are_separate_entities()
    {
        const string text = "4012888888881881 4012-8888-8888-1881 4012 8888 8888 1881";
        Assert.Equal(
            [(PiiTypes.CreditCard, "4012888888881881"), (PiiTypes.CreditCard, "4012-8888-8888-1881"), (PiiTypes.CreditCard, "4012 8888 8888 1881")],
            Found(text));
    }

    [Theory]
    [InlineData("GB29 NWBK 6016 1331 9268 19")]
    [InlineData("GB29NWBK60161331926819")]
    [InlineData("DE89370400440532013000")]
    [InlineData("MT84MALT011000012345MTLCAST001S")]
    [InlineData("BR97 0036 0305 0000 1000 9795 493P 1")]
    [InlineData("gb29nwbk60161331926819")]
    public void Ibans_with_the_right_length_and_mod97_are_found(string iban)
    {
        Assert.Equal([(PiiTypes.IbanCode, iban)], Found($"pay to {iban} today"));
    }

    [Theory]
    [InlineData("GB29 NWBK 6016 1331 9268 18")] // check fails
    [InlineData("DE89370400440532013001")]
    [InlineData("IL15 0120 6900 0000")] // too short for IL
    [InlineData("AB150120690000003111141")] // no such country
    [InlineData("AL47/2121/1009/0000/0002/3569/8741")] // slashes are not separators
    [InlineData("IL15 0120 6900 0000 3111 0120 6900 0000 3111 141")] // too long
    public void Ibans_failing_length_or_checksum_are_not_pii(string iban)
    {
        Assert.DoesNotContain(Detector.Find($"iban {iban}"), e => e.Type == PiiTypes.IbanCode);
    }

    [Theory]
    [InlineData("078-05-1123")]
    [InlineData("078 05 1123")]
    [InlineData("078.05.1123")]
    [InlineData("460-89-9847")]
    public void Ssns_in_the_three_part_form_are_found(string ssn)
    {
        Assert.Equal([(PiiTypes.UsSsn, ssn)], Found($"abc {ssn} abc"));
    }

    [Theory]
    [InlineData("000-12-3456")] // area 000
    [InlineData("666-12-3456")] // area 666
    [InlineData("912-12-3456")] // area 9xx
    [InlineData("078-00-1123")] // group 00
    [InlineData("078-05-0000")] // serial 0000
    [InlineData("693-09.4444")] // mixed separators
    [InlineData("078051120")] // bare digits without a context word
    public void Ssns_the_ssa_never_issues_are_not_pii(string ssn)
    {
        Assert.DoesNotContain(Detector.Find(ssn), e => e.Type == PiiTypes.UsSsn);
    }

    [Fact]
    public void Bare_nine_digit_ssns_need_a_context_word()
    {
        Assert.Equal([(PiiTypes.UsSsn, "078051123")], Found("my SSN is 078051123"));
    }

    [Theory]
    [InlineData("192.168.0.1")]
    [InlineData("10.0.0.1")]
    [InlineData("2001:db8::1")]
    [InlineData("fe80::1%eth0")]
    [InlineData("684D:1111:222:3333:4444:5555:6:77")]
    [InlineData("::1")]
    public void Ip_addresses_are_found(string ip)
    {
        Assert.Equal([(PiiTypes.IpAddress, ip)], Found($"connect to {ip} now"));
    }

    [Theory]
    [InlineData("256.1.1.1")]
    [InlineData("192.168.1.256")]
    [InlineData("192.168.1")]
    [InlineData("MAC address aa:bb:cc:dd:ee:ff")]
    [InlineData("MAC 00:1A:2B:3C:4D:5E")]
    [InlineData("Time 12:34:56")]
    [InlineData("Ratio 1:2:3:4")]
    [InlineData("Version 1.2.3.4")]
    [InlineData("2001::db8::1")]
    [InlineData("12345:db8::1")]
    public void Ip_look_alikes_are_not_pii(string text)
    {
        Assert.DoesNotContain(Detector.Find(text), e => e.Type == PiiTypes.IpAddress);
    }

    [Theory]
    [InlineData("info@presidio.site")]
    [InlineData("user@xn--80ak6aa92e.com")]
    [InlineData("first.last+tag@mail.example.co.uk")]
    public void Emails_are_found(string email)
    {
        Assert.Equal([(PiiTypes.EmailAddress, email)], Found($"write to {email}."));
    }

    [Theory]
    [InlineData("my email is info@presidio.")]
    [InlineData("this is not an email: hello-world here")]
    [InlineData("user@localhost")]
    [InlineData("a@b.c1")]
    public void Email_look_alikes_are_not_pii(string text)
    {
        Assert.DoesNotContain(Detector.Find(text), e => e.Type == PiiTypes.EmailAddress);
    }

    [Theory]
    [InlineData("My US number is (415) 555-0132", "(415) 555-0132")]
    [InlineData("international: +1 415 555 0132", "+1 415 555 0132")]
    [InlineData("Brazil: +55 11 98456 5666", "+55 11 98456 5666")]
    [InlineData("call me on 0494 92 82 32 please", "0494 92 82 32")]
    public void Phone_numbers_are_found(string text, string phone)
    {
        Assert.Equal([(PiiTypes.PhoneNumber, phone)], Found(text));
    }

    [Theory]
    [InlineData("The release date is 2024-01-15 for everyone")]
    [InlineData("meet on 12/05/2020 at noon")]
    [InlineData("Version 1.2.3")]
    [InlineData("Time 12:34:56")]
    [InlineData("Ratio 1:2:3:4")]
    [InlineData("we sold 1,234,567 units")]
    public void Dates_versions_times_and_ratios_are_not_phone_numbers(string text)
    {
        Assert.DoesNotContain(Detector.Find(text), e => e.Type == PiiTypes.PhoneNumber);
    }
}
