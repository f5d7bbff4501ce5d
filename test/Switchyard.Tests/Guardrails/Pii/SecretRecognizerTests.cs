using System.Text;
using Switchyard.Guardrails.Pii;
using Xunit;

namespace Switchyard.Tests.Guardrails.Pii;

/// <summary>Each secret format, with look-alikes that share the prefix but not the format.</summary>
public sealed class SecretRecognizerTests
{
    private static readonly PiiDetector Detector = new();

    private const string Alnum = "aB3dE5gH7jK9mN1pQ2rS4tU6vW8xY0zA1bC2dE3fG4hI5jK6lM7nO8pQ9rS0tU1vW2xY3z";

    private static string Body(int length) => string.Concat(Enumerable.Repeat(Alnum, (length / Alnum.Length) + 1))[..length];

    private static string Base64Url(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static TheoryData<string, string> Secrets() => new()
    {
        { "sk-proj-" + Body(48), "openai_key" },
        { "sk-" + Body(48), "openai_key" },
        { "sk-ant-api03-" + Body(93), "anthropic_key" },
        { "AKIAIOSFODNN7EXAMPLE", "aws_access_key_id" },
        { "ghp_" + Body(36), "github_token" },
        { "gho_" + Body(36), "github_token" },
        { "github_pat_" + Body(82), "github_token" },
        { "xoxb-123456789012-1234567890123-" + Body(24), "slack_token" },
        { "xapp-1-A0123456789-1234567890123-" + Body(32), "slack_token" },
        { "https://hooks.slack.com/services/T00000000/B00000000/" + Body(24), "slack_webhook" },
        { "sk_live_" + Body(24), "stripe_key" },
        { "rk_live_" + Body(24), "stripe_key" },
        { "pk_live_" + Body(24), "stripe_key" },
        { "AIza" + Body(35), "google_api_key" },
        { Base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + Base64Url("{\"sub\":\"1234567890\",\"name\":\"John Doe\"}") + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", "jwt" },
        { "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA" + Body(64) + "\n-----END RSA PRIVATE KEY-----", "private_key" },
        { "-----BEGIN PRIVATE KEY-----\n" + Body(64) + "\n-----END PRIVATE KEY-----", "private_key" },
    };

    [Theory]
    [MemberData(nameof(Secrets))]
    public void Each_format_is_found_with_its_kind(string secret, string kind)
    {
        string text = $"config: {secret} end";
        PiiEntity entity = Assert.Single(Detector.Find(text), e => e.Type == PiiTypes.Secret);
        Assert.Equal(kind, entity.Kind);
        Assert.Equal(secret, text.Substring(entity.Start, entity.Length));
    }

    [Fact]
    public void An_aws_secret_key_is_found_next_to_its_name()
    {
        const string text = "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        PiiEntity entity = Assert.Single(Detector.Find(text), e => e.Type == PiiTypes.Secret);
        Assert.Equal("aws_secret_access_key", entity.Kind);
        Assert.Equal("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", text.Substring(entity.Start, entity.Length));
    }

    [Theory]
    [InlineData("use the sk-learn-compatible-estimators-and-transformers API")] // no digits: prose, not a key
    [InlineData("a task-force of AKIA people")]
    [InlineData("ghp_short")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nMIIBIjANBg\n-----END PUBLIC KEY-----")]
    [InlineData("eyJub3QiOiJhIHRva2VuIn0.eyJzdWIiOiIxMjM0In0.abcdefghijkl")] // header has no "alg"
    [InlineData("-----BEGIN RSA PRIVATE KEY----- with no end")]
    public void Look_alikes_are_not_secrets(string text)
    {
        Assert.DoesNotContain(Detector.Find(text), e => e.Type == PiiTypes.Secret);
    }
}
