// switchyard-ingestload: measures the observability store of a running Switchyard.
//
//   ingest  --url http://127.0.0.1:PORT --key ADMIN [--format json|protobuf] [--senders 4] [--batch 500]
//           [--duration 20] [--warmup-seconds 10] [--rate SPANS_PER_S] [--pid SERVER_PID]
//   seed    --data DIR [--rows 1000000] [--days 30]        (DIR must hold a migrated switchyard.db)
//   query   --url http://127.0.0.1:PORT --key ADMIN [--reps 50] [--warmup 5]
//   explain --data DIR                                     (EXPLAIN QUERY PLAN of the API's query shapes)
//   spaninsert --data DIR [--spans 100000] [--batch 5000] [--pragma SQL]  (the span writer's SQLite inserts alone)
//
// Every mode prints human-readable lines on stderr and machine-readable "RESULT k=v ..." lines on
// stdout (bench/observability.sh collects them). Every loop is bounded by a duration or a count.
using System.Globalization;
using Switchyard.IngestLoad;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args.Length == 0)
{
    Console.Error.WriteLine("usage: switchyard-ingestload ingest|seed|query|explain [--option value ...]");
    return 2;
}

var options = Options.Parse(args.AsSpan(1));
try
{
    return args[0] switch
    {
        "ingest" => await IngestBench.RunAsync(options).ConfigureAwait(false),
        "seed" => Seeder.Run(options),
        "query" => await QueryBench.RunAsync(options).ConfigureAwait(false),
        "explain" => Seeder.Explain(options),
        "spaninsert" => SpanInsertBench.Run(options),
        _ => Usage(args[0]),
    };
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

static int Usage(string mode)
{
    Console.Error.WriteLine($"unknown mode '{mode}': use ingest, seed, query or explain");
    return 2;
}
