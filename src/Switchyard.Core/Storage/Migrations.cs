namespace Switchyard.Storage;

/// <summary>
/// The schema, as an append-only list: entry N moves a file from version N to N+1. Never edit a
/// shipped entry; add a new one.
/// </summary>
internal static class Migrations
{
    public static readonly IReadOnlyList<string> All =
    [
        // 1: settings, and one row per gateway call. Raw facts only (tokens by type, timings in
        // microseconds, ids), so cost and aggregates can be derived and re-derived later. The row id
        // grows with time, so inserts append; only the trace-id index takes random inserts.
        """
        CREATE TABLE settings (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE calls (
            id                 INTEGER PRIMARY KEY,
            span_id            TEXT NOT NULL,
            trace_id           TEXT NOT NULL,
            parent_span_id     TEXT,
            start_time_us      INTEGER NOT NULL,
            api                TEXT NOT NULL,
            model_group        TEXT,
            deployment         TEXT,
            provider           TEXT,
            upstream_model     TEXT,
            system_fingerprint TEXT,
            status             INTEGER NOT NULL,
            error_type         TEXT,
            error_message      TEXT,
            stream             INTEGER NOT NULL,
            input_tokens       INTEGER NOT NULL DEFAULT 0,
            output_tokens      INTEGER NOT NULL DEFAULT 0,
            cached_tokens      INTEGER NOT NULL DEFAULT 0,
            cache_write_tokens INTEGER NOT NULL DEFAULT 0,
            reasoning_tokens   INTEGER NOT NULL DEFAULT 0,
            usage_reported     INTEGER NOT NULL DEFAULT 0,
            finish_reason      TEXT,
            latency_us         INTEGER NOT NULL,
            ttft_us            INTEGER,
            key_id             TEXT,
            user_id            TEXT,
            attempts           TEXT
        );
        CREATE INDEX ix_calls_start ON calls (start_time_us);
        CREATE INDEX ix_calls_trace ON calls (trace_id)
        """,
    ];
}
