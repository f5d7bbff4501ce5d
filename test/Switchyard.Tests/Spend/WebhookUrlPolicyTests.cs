using System.Net;
using Switchyard.Spend.Alerts;
using Xunit;

namespace Switchyard.Tests.Spend;

public sealed class WebhookUrlPolicyTests
{
    [Theory]
    [InlineData("https://hooks.slack.com/services/T000/B000/XXXX")]
    [InlineData("http://alerts.example.com:8080/switchyard")]
    [InlineData("https://8.8.8.8/hook")]
    [InlineData("https://[2606:4700::1111]/hook")]
    public void PublicHttpTargets_AreAllowed(string url)
    {
        Assert.True(WebhookUrlPolicy.TryCreate(url, allowPrivate: false, out var uri, out var error), error);
        Assert.NotNull(uri);
    }

    [Theory]
    [InlineData("ftp://example.com/x", "scheme")]
    [InlineData("file:///etc/passwd", "absolute http(s)")]
    [InlineData("javascript:alert(1)", "scheme")]
    [InlineData("/relative/path", "absolute http(s)")]
    [InlineData("not a url", "absolute http(s)")]
    [InlineData("https://user:pass@example.com/", "credentials")]
    public void NonHttpOrOddUrls_AreRefused(string url, string reason)
    {
        Assert.False(WebhookUrlPolicy.TryCreate(url, allowPrivate: true, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Theory]
    // Cloud metadata, however the address is spelled: dotted, decimal, hex, octal, short forms,
    // IPv4-mapped, IPv4-compatible, NAT64 and 6to4 IPv6.
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://2852039166/")]
    [InlineData("http://0xa9fea9fe/")]
    [InlineData("http://0251.0376.0251.0376/")]
    [InlineData("http://0xa9.0xfe.0xa9.0xfe/")]
    [InlineData("http://169.254.43518/")]
    [InlineData("http://[::ffff:169.254.169.254]/")]
    [InlineData("http://[::ffff:a9fe:a9fe]/")]
    [InlineData("http://[::a9fe:a9fe]/")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/")]
    [InlineData("http://[2002:a9fe:a9fe::1]/")]
    [InlineData("http://[fd00:ec2::254]/")]
    [InlineData("http://100.100.100.200/")]
    [InlineData("http://169.254.170.2/v2/credentials")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("http://METADATA.Google.Internal./")]
    [InlineData("http://metadata/")]
    [InlineData("http://instance-data/")]
    public void MetadataTargets_AreRefused_EvenWhenPrivateTargetsAreAllowed(string url)
    {
        Assert.False(WebhookUrlPolicy.TryCreate(url, allowPrivate: true, out _, out var error));
        Assert.Contains("metadata", error);
        Assert.False(WebhookUrlPolicy.TryCreate(url, allowPrivate: false, out _, out _));
    }

    [Fact]
    public void FullWidthDigits_AreCheckedAsTheHostTheConnectionUses()
    {
        // With ICU, IDN mapping turns them into 169.254.169.254 (refused here); in invariant
        // globalization mode (this build) they stay a punycode name, resolved and checked at connect.
        var uri = new Uri("http://１６９.２５４.１６９.２５４/");
        var host = WebhookUrlPolicy.HostOf(uri);

        var accepted = WebhookUrlPolicy.TryCreate(uri.OriginalString, allowPrivate: true, out _, out _);

        Assert.True(!accepted || !IPAddress.TryParse(host, out _), host);
    }

    [Theory]
    [InlineData("http://0.0.0.0/", "unspecified")]
    [InlineData("http://0/", "unspecified")]
    [InlineData("http://[::]/", "unspecified")]
    [InlineData("http://224.0.0.1/", "multicast")]
    [InlineData("http://[ff02::1]/", "multicast")]
    [InlineData("http://255.255.255.255/", "reserved")]
    public void UnspecifiedMulticastReserved_AreAlwaysRefused(string url, string reason)
    {
        Assert.False(WebhookUrlPolicy.TryCreate(url, allowPrivate: true, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9000/", "loopback")]
    [InlineData("http://127.1/", "loopback")]
    [InlineData("http://0x7f000001/", "loopback")]
    [InlineData("http://017700000001/", "loopback")]
    [InlineData("http://[::1]/", "loopback")]
    [InlineData("http://[::ffff:127.0.0.1]/", "loopback")]
    [InlineData("http://localhost:8080/", "loopback")]
    [InlineData("http://api.localhost/", "loopback")]
    [InlineData("http://10.1.2.3/", "private")]
    [InlineData("http://172.16.0.1/", "private")]
    [InlineData("http://172.31.255.255/", "private")]
    [InlineData("http://192.168.1.10/", "private")]
    [InlineData("http://100.64.0.1/", "private")]
    [InlineData("http://[fd12:3456::1]/", "private")]
    [InlineData("http://169.254.1.1/", "link-local")]
    [InlineData("http://[fe80::1]/", "link-local")]
    [InlineData("http://[::ffff:169.254.1.1]/", "link-local")]
    public void LoopbackPrivateLinkLocal_AreRefusedByDefault_AllowedWhenConfigured(string url, string reason)
    {
        Assert.False(WebhookUrlPolicy.TryCreate(url, allowPrivate: false, out _, out var error));
        Assert.Contains(reason, error);
        Assert.Contains("allow_private_targets", error);

        Assert.True(WebhookUrlPolicy.TryCreate(url, allowPrivate: true, out _, out error), error);
    }

    [Theory]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("169.253.255.255")]
    [InlineData("223.255.255.255")]
    [InlineData("2001:db8::1")]
    public void AddressesNextToRefusedRanges_AreAllowed(string address)
    {
        Assert.Null(WebhookUrlPolicy.RefusalReason(IPAddress.Parse(address), allowPrivate: false));
    }

    [Fact]
    public void Errors_NeverRepeatThePath_WhichMayBeASecret()
    {
        Assert.False(WebhookUrlPolicy.TryCreate("http://10.0.0.1/services/T000/B000/SECRETSECRET", allowPrivate: false, out _, out var error));

        Assert.DoesNotContain("SECRETSECRET", error);
        Assert.Equal("https://hooks.slack.com", WebhookUrlPolicy.Display(new Uri("https://hooks.slack.com/services/T000/B000/SECRETSECRET")));
    }
}
