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

        // 2: observability. Who called (team, session, tags, metadata), cost in integer nano-USD
        // (NULL when the model has no price: "unknown", never 0), captured content, scores and
        // feedback, and spans ingested over OTLP. Filter indexes lead with the filtered column and
        // end with the start time, so a filtered first page is an index range scan.
        """
        ALTER TABLE calls ADD COLUMN team TEXT;
        ALTER TABLE calls ADD COLUMN session_id TEXT;
        ALTER TABLE calls ADD COLUMN tags TEXT;
        ALTER TABLE calls ADD COLUMN metadata TEXT;
        ALTER TABLE calls ADD COLUMN cost_nanousd INTEGER;
        ALTER TABLE calls ADD COLUMN request_content TEXT;
        ALTER TABLE calls ADD COLUMN response_content TEXT;
        CREATE INDEX ix_calls_group_start ON calls (model_group, start_time_us);
        CREATE INDEX ix_calls_user_start ON calls (user_id, start_time_us) WHERE user_id IS NOT NULL;
        CREATE INDEX ix_calls_session_start ON calls (session_id, start_time_us) WHERE session_id IS NOT NULL;
        CREATE TABLE call_tags (
            call_id       INTEGER NOT NULL,
            tag           TEXT NOT NULL,
            start_time_us INTEGER NOT NULL
        );
        CREATE INDEX ix_call_tags_tag_start ON call_tags (tag, start_time_us, call_id);
        CREATE INDEX ix_call_tags_call ON call_tags (call_id);
        CREATE TABLE scores (
            id            INTEGER PRIMARY KEY,
            trace_id      TEXT NOT NULL,
            span_id       TEXT,
            name          TEXT NOT NULL,
            data_type     TEXT NOT NULL,
            value         REAL,
            string_value  TEXT,
            source        TEXT NOT NULL,
            comment       TEXT,
            user_id       TEXT,
            created_us    INTEGER NOT NULL
        );
        CREATE INDEX ix_scores_trace ON scores (trace_id);
        CREATE INDEX ix_scores_name_created ON scores (name, created_us);
        CREATE INDEX ix_scores_created ON scores (created_us);
        CREATE TABLE spans (
            id             INTEGER PRIMARY KEY,
            trace_id       TEXT NOT NULL,
            span_id        TEXT NOT NULL,
            parent_span_id TEXT,
            name           TEXT NOT NULL,
            kind           INTEGER NOT NULL,
            type           TEXT NOT NULL,
            service        TEXT,
            start_time_us  INTEGER NOT NULL,
            end_time_us    INTEGER NOT NULL,
            status_code    INTEGER NOT NULL,
            status_message TEXT,
            model          TEXT,
            provider       TEXT,
            input_tokens   INTEGER,
            output_tokens  INTEGER,
            cost_nanousd   INTEGER,
            user_id        TEXT,
            session_id     TEXT,
            input          TEXT,
            output         TEXT,
            attributes     TEXT,
            events         TEXT
        );
        CREATE INDEX ix_spans_trace ON spans (trace_id);
        CREATE INDEX ix_spans_start ON spans (start_time_us)
        """,

        // 3: who may call and what they may spend. Keys keep only SHA-256 hashes of their secrets.
        // Limits and budgets are small JSON objects (the API's own shape). Spend is a ledger of
        // totals per local day (budget time zone), key, owner and model group: it outlives call
        // retention, so budgets over long windows and spend reports stay right.
        """
        CREATE TABLE teams (
            id         TEXT PRIMARY KEY,
            name       TEXT,
            metadata   TEXT,
            limits     TEXT,
            budget     TEXT,
            created_us INTEGER NOT NULL,
            updated_us INTEGER NOT NULL
        );
        CREATE TABLE users (
            id         TEXT PRIMARY KEY,
            name       TEXT,
            email      TEXT,
            team_id    TEXT REFERENCES teams (id),
            metadata   TEXT,
            limits     TEXT,
            budget     TEXT,
            created_us INTEGER NOT NULL,
            updated_us INTEGER NOT NULL
        );
        CREATE TABLE keys (
            id                     TEXT PRIMARY KEY,
            name                   TEXT NOT NULL,
            hint                   TEXT NOT NULL,
            secret_hash            BLOB NOT NULL UNIQUE,
            previous_hash          BLOB,
            previous_valid_until_us INTEGER,
            team_id                TEXT REFERENCES teams (id),
            user_id                TEXT REFERENCES users (id),
            scopes                 TEXT NOT NULL,
            models                 TEXT,
            expires_us             INTEGER,
            revoked_us             INTEGER,
            capture                TEXT,
            metadata               TEXT,
            limits                 TEXT,
            budget                 TEXT,
            created_us             INTEGER NOT NULL,
            updated_us             INTEGER NOT NULL
        );
        CREATE TABLE spend (
            day           TEXT NOT NULL,
            key_id        TEXT NOT NULL,
            user_id       TEXT NOT NULL,
            team_id       TEXT NOT NULL,
            model_group   TEXT NOT NULL,
            requests      INTEGER NOT NULL,
            input_tokens  INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            cost_nanousd  INTEGER NOT NULL,
            PRIMARY KEY (day, key_id, user_id, team_id, model_group)
        ) WITHOUT ROWID;
        CREATE INDEX ix_spend_key ON spend (key_id, day) WHERE key_id <> '';
        CREATE INDEX ix_spend_user ON spend (user_id, day) WHERE user_id <> '';
        CREATE INDEX ix_spend_team ON spend (team_id, day) WHERE team_id <> ''
        """,

        // 4: spend alerts. One row per budget threshold crossed, per subject and window; the unique
        // index makes "once per window" hold across restarts (an insert that conflicts was already
        // fired). The window kind is in it so a daily and a monthly budget of one subject starting
        // the same day are distinct. Delivery status: pending | delivered | failed | none.
        """
        CREATE TABLE spend_alerts (
            id                INTEGER PRIMARY KEY,
            subject_kind      TEXT NOT NULL,
            subject_id        TEXT NOT NULL,
            window_kind       TEXT NOT NULL,
            window_start_us   INTEGER NOT NULL,
            window_end_us     INTEGER,
            threshold         REAL NOT NULL,
            budget_nanousd    INTEGER NOT NULL,
            spent_nanousd     INTEGER NOT NULL,
            mode              TEXT NOT NULL,
            fired_us          INTEGER NOT NULL,
            delivery_status   TEXT NOT NULL DEFAULT 'pending',
            delivery_attempts INTEGER NOT NULL DEFAULT 0,
            delivery_error    TEXT,
            delivered_us      INTEGER
        );
        CREATE UNIQUE INDEX ux_spend_alerts_once ON spend_alerts (subject_kind, subject_id, window_start_us, threshold, window_kind);
        CREATE INDEX ix_spend_alerts_fired ON spend_alerts (fired_us);
        CREATE INDEX ix_spend_alerts_subject_fired ON spend_alerts (subject_kind, subject_id, fired_us);
        CREATE INDEX ix_spend_alerts_pending ON spend_alerts (delivery_status) WHERE delivery_status = 'pending'
        """,

        // 5: the cache outcome of each call (hit, semantic, miss, bypass; null before the cache existed) and, for a
        // hit, the upstream cost it avoided.
        """
        ALTER TABLE calls ADD COLUMN cache TEXT;
        ALTER TABLE calls ADD COLUMN cost_saved_nanousd INTEGER
        """,

        // 6: for a semantic cache hit, the cosine similarity of the request to the cached one it was served.
        """
        ALTER TABLE calls ADD COLUMN cache_similarity REAL
        """,

        // 7: per-minute, per-model-group totals of the calls (MinuteStats, serialised), for dashboard
        // views over long windows. Filled from existing calls at start-up when empty.
        """
        CREATE TABLE call_minutes (
            minute_us   INTEGER NOT NULL,
            model_group TEXT NOT NULL,
            stats       BLOB NOT NULL,
            PRIMARY KEY (minute_us, model_group)
        )
        """,

        // 8: hourly totals per model group, key and team (MinuteStats, serialised) for the dashboard's
        // key and team views over long windows; and indexes so the calls of one key or team are a
        // range, not a scan of the window.
        """
        CREATE TABLE call_hours (
            hour_us     INTEGER NOT NULL,
            model_group TEXT NOT NULL,
            key_id      TEXT NOT NULL,
            team        TEXT NOT NULL,
            stats       BLOB NOT NULL,
            PRIMARY KEY (hour_us, model_group, key_id, team)
        );
        CREATE INDEX ix_call_hours_key ON call_hours (key_id, hour_us);
        CREATE INDEX ix_call_hours_team ON call_hours (team, hour_us);
        CREATE INDEX ix_calls_key_start ON calls (key_id, start_time_us) WHERE key_id IS NOT NULL;
        CREATE INDEX ix_calls_team_start ON calls (team, start_time_us) WHERE team IS NOT NULL
        """,

        // 9: who wrote each ingested span and score (key id, 'admin' for the admin key, and the key's
        // team), so a team's keys read and write only their team's traces. Rows from before carry
        // NULL: written by no team.
        """
        ALTER TABLE spans ADD COLUMN key_id TEXT;
        ALTER TABLE spans ADD COLUMN team TEXT;
        ALTER TABLE scores ADD COLUMN key_id TEXT;
        ALTER TABLE scores ADD COLUMN team TEXT
        """,

        // 10: dashboard sessions kept on the server (only a hash of each session id), so signing out ends a
        // session for every copy of its cookie; and the Data Protection key ring that signs the cookies.
        """
        CREATE TABLE ui_sessions (
            id_hash      TEXT PRIMARY KEY,
            subject      TEXT NOT NULL,
            created_us   INTEGER NOT NULL,
            last_seen_us INTEGER NOT NULL,
            expires_us   INTEGER NOT NULL
        );
        CREATE TABLE ui_protection_keys (
            name TEXT PRIMARY KEY,
            xml  TEXT NOT NULL
        )
        """,

        // 11: rollups that several writers can add to: each batch inserts its own rows and readers sum
        // the rows of a minute or hour (compaction folds them), instead of one row per minute that every
        // writer read, merged and rewrote. Existing rows are kept as they are: one row each.
        """
        CREATE TABLE call_minutes_rows (
            id          INTEGER PRIMARY KEY,
            minute_us   INTEGER NOT NULL,
            model_group TEXT NOT NULL,
            stats       BLOB NOT NULL
        );
        INSERT INTO call_minutes_rows (minute_us, model_group, stats) SELECT minute_us, model_group, stats FROM call_minutes;
        DROP TABLE call_minutes;
        ALTER TABLE call_minutes_rows RENAME TO call_minutes;
        CREATE INDEX ix_call_minutes ON call_minutes (minute_us, model_group);
        CREATE TABLE call_hours_rows (
            id          INTEGER PRIMARY KEY,
            hour_us     INTEGER NOT NULL,
            model_group TEXT NOT NULL,
            key_id      TEXT NOT NULL,
            team        TEXT NOT NULL,
            stats       BLOB NOT NULL
        );
        INSERT INTO call_hours_rows (hour_us, model_group, key_id, team, stats) SELECT hour_us, model_group, key_id, team, stats FROM call_hours;
        DROP TABLE call_hours;
        ALTER TABLE call_hours_rows RENAME TO call_hours;
        CREATE INDEX ix_call_hours ON call_hours (hour_us, model_group, key_id, team);
        CREATE INDEX ix_call_hours_key ON call_hours (key_id, hour_us);
        CREATE INDEX ix_call_hours_team ON call_hours (team, hour_us)
        """,

        // 12: why a miss did not look everywhere it could (semantic_shed: the semantic lookup was shed under load); null otherwise.
        """
        ALTER TABLE calls ADD COLUMN cache_reason TEXT
        """,

        // 13: the guardrails' verdicts on a call (JSON: guard, direction, verdict, action, score, timing,
        // findings as entity types and positions, never the values); null when no guard ran.
        """
        ALTER TABLE calls ADD COLUMN guardrails TEXT
        """,

        // 14: a key's and a team's own guardrail lists (JSON: input and output guard names; null follows the next level).
        """
        ALTER TABLE keys ADD COLUMN guardrails TEXT;
        ALTER TABLE teams ADD COLUMN guardrails TEXT
        """,

        // 15: the prompt registry: immutable versions, labels pointing at them, and every label move.
        """
        CREATE TABLE prompt_versions (
            name            TEXT NOT NULL,
            version         INTEGER NOT NULL,
            kind            TEXT NOT NULL,
            template        TEXT NOT NULL,
            variables       TEXT NOT NULL,
            model_group     TEXT,
            pinned_model    TEXT,
            parameters      TEXT,
            tools           TEXT,
            response_format TEXT,
            message         TEXT,
            author          TEXT,
            content_hash    TEXT NOT NULL,
            created_us      INTEGER NOT NULL,
            PRIMARY KEY (name, version)
        );
        CREATE TABLE prompt_labels (
            name       TEXT NOT NULL,
            label      TEXT NOT NULL,
            version    INTEGER NOT NULL,
            updated_us INTEGER NOT NULL,
            PRIMARY KEY (name, label)
        );
        CREATE TABLE prompt_label_moves (
            id           INTEGER PRIMARY KEY,
            name         TEXT NOT NULL,
            label        TEXT NOT NULL,
            from_version INTEGER,
            to_version   INTEGER NOT NULL,
            actor        TEXT NOT NULL,
            reason       TEXT,
            at_us        INTEGER NOT NULL
        );
        CREATE INDEX ix_prompt_label_moves ON prompt_label_moves (name, id)
        """,

        // 16: which prompt version a call rendered (name, version, the label it asked for, the experiment or
        // rollout variant it was assigned), and a change of the upstream's model or system_fingerprint
        // against the last call of the same deployment and model ("before -> after"); null otherwise.
        """
        ALTER TABLE calls ADD COLUMN prompt_name TEXT;
        ALTER TABLE calls ADD COLUMN prompt_version INTEGER;
        ALTER TABLE calls ADD COLUMN prompt_label TEXT;
        ALTER TABLE calls ADD COLUMN prompt_variant TEXT;
        ALTER TABLE calls ADD COLUMN model_change TEXT;
        CREATE INDEX ix_calls_prompt ON calls (prompt_name, start_time_us) WHERE prompt_name IS NOT NULL
        """,

        // 17: experiments and canary rollouts on prompt labels, each stored whole (JSON) with a revision
        // for compare-and-set; at most one running per prompt label (a partial unique index).
        """
        CREATE TABLE prompt_splits (
            id         TEXT PRIMARY KEY,
            prompt     TEXT NOT NULL,
            label      TEXT NOT NULL,
            kind       TEXT NOT NULL,
            status     TEXT NOT NULL,
            body       TEXT NOT NULL,
            revision   INTEGER NOT NULL,
            created_us INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX ux_prompt_splits_running ON prompt_splits (prompt, label) WHERE status = 'running';
        CREATE INDEX ix_prompt_splits_prompt ON prompt_splits (prompt, created_us)
        """,

        // 18: evaluation datasets as immutable versions; each version lists its items in order (an item
        // carried into a later version is written again under it, so a version never changes).
        """
        CREATE TABLE dataset_versions (
            name       TEXT NOT NULL,
            version    INTEGER NOT NULL,
            item_count INTEGER NOT NULL,
            author     TEXT NOT NULL,
            message    TEXT,
            created_us INTEGER NOT NULL,
            PRIMARY KEY (name, version)
        );
        CREATE TABLE dataset_items (
            name         TEXT NOT NULL,
            version      INTEGER NOT NULL,
            position     INTEGER NOT NULL,
            item_id      TEXT NOT NULL,
            input        TEXT NOT NULL,
            expected     TEXT,
            context      TEXT,
            metadata     TEXT,
            tags         TEXT,
            source_trace TEXT,
            PRIMARY KEY (name, version, position)
        )
        """,
    ];
}
