// switchyard-chaos: chaos and soak harness for the gateway.
//
//   upstream --port N [--latency-ms 1] [--fail-rate 0.3] [--fault status:500|status:503|status:429|reset|hang|slow-first-byte:MS|cut:N]
//            [--retry-after-ms 1000] [--seed N] [--model chaos-model]
//       fault-injecting OpenAI-compatible upstream on 127.0.0.1 (POST /v1/chat/completions, GET /v1/models,
//       GET /stats, GET /); --fault takes a comma-separated list to pick from at random.
//   drive    --url http://127.0.0.1:PORT [--calls 2000] [--concurrency 16] [--model M] [--stream-ratio 0.0]
//            [--key BEARER] [--out FILE.json] [--require-success 0.999] [--require-p99-ms 50]
//            [--warmup N] [--timeout-s 30] [--seed N] [--label L]
//       closed-loop chat completions; summary on stderr, a "RESULT k=v ..." line on stdout; exit 1 when a requirement is missed.
//   soak     --url URL --pid PID [--duration 1800] [--concurrency 16] [--sample-seconds 10] [--out FILE.md] [--csv FILE.csv]
//            [--plain-model soak-plain] [--sandbox-model soak-sandbox] [--broken-model soak-broken] [--key K] [--require-flat]
//       mixed traffic (plain, streams, a failing group, client cancellations) while sampling the gateway's
//       /proc and /metrics; a markdown report with the after-warm-up analysis.
//
// Exit codes: 0 done, 1 a requirement missed (drive, soak --require-flat) or the gateway died (soak), 2 bad arguments.
using System.Globalization;
using Switchyard.Chaos;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args.Length == 0)
{
    Console.Error.WriteLine("usage: switchyard-chaos upstream|drive|soak [--option value ...] (see bench/Switchyard.Chaos/Program.cs)");
    return 2;
}

try
{
    var options = Options.Parse(args.AsSpan(1));
    return args[0] switch
    {
        "upstream" => await ChaosUpstream.RunAsync(options).ConfigureAwait(false),
        "drive" => await DriveCommand.RunAsync(options).ConfigureAwait(false),
        "soak" => await SoakCommand.RunAsync(options, args).ConfigureAwait(false),
        _ => Usage(args[0]),
    };
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine("switchyard-chaos: " + ex.Message);
    return 2;
}

static int Usage(string mode)
{
    Console.Error.WriteLine($"switchyard-chaos: unknown command '{mode}' (upstream, drive, soak)");
    return 2;
}
