using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Configuration;
using Switchyard.Storage;
using Switchyard.Tests.TestUtilities;
using Xunit;
using static Switchyard.Tests.Guardrails.GuardrailHarness;

namespace Switchyard.Tests.Guardrails;

/// <summary>A stream the output guards rewrote or cut is recorded as the client got it, never as the upstream wrote it.</summary>
public sealed class StreamTraceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("mask", "[EMAIL_ADDRESS]")]
    [InlineData("block", null)]
    public async Task TheTraceHoldsTheCheckedText_NotTheUpstreamsText(string action, string? expected)
    {
        var (gateway, upstream) = await StartAsync(g =>
        {
            g.Guards["pii"] = new GuardOptions { Type = GuardType.Pii, Action = Enum.Parse<GuardAction>(action, ignoreCase: true), Entities = ["EMAIL_ADDRESS"] };
            g.Output = ["pii"];
        });
        await using var _ = gateway;
        await using var __ = upstream;
        upstream.Handler = Echo(4, 9, 20);

        var response = await ChatAsync(gateway, $"Hello there. Write to {Email} today.", stream: true);
        await BodyAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await RecordedCalls.WaitForCountAsync(gateway, 1, Ct);
        using var connection = gateway.Services.GetRequiredService<SqliteDatabase>().Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT response_content FROM calls";
        var recorded = (string)command.ExecuteScalar()!;
        Assert.DoesNotContain(Email, recorded);
        Assert.Contains("Hello there.", recorded);
        if (expected is not null)
        {
            Assert.Contains(expected, recorded);
        }
    }
}
