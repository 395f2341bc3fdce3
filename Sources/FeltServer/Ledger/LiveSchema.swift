import FeltStore

/// The tables the live-table layer keeps in each tenant schema beyond the accounts and
/// ledger of migration v1: hand records with their participants, and stored idempotent
/// responses. Created idempotently (`IF NOT EXISTS`) at start-up, before any table opens.
///
/// These belong in `TenantMigrations` as version 2 once the store's migration tests stop
/// hard-coding 2 as the number of their injected test step.
enum LiveSchema {
    /// Creates the tables and indexes of `schema` when missing.
    static func ensure(_ schema: TenantSchema, pool: PostgresPool) async throws(DatabaseError) {
        let s = schema.quoted
        try await pool.execute(script: """
            CREATE TABLE IF NOT EXISTS \(s).hand_records (
                id bigserial PRIMARY KEY,
                table_id text NOT NULL,
                hand_number integer NOT NULL,
                rake bigint NOT NULL CONSTRAINT hand_records_rake_nonnegative CHECK (rake >= 0),
                record text NOT NULL,
                entry_id bigint REFERENCES \(s).journal_entries (id),
                started_at timestamptz NOT NULL,
                finished_at timestamptz NOT NULL
            );
            CREATE INDEX IF NOT EXISTS hand_records_table_idx ON \(s).hand_records (table_id, id DESC);
            CREATE TABLE IF NOT EXISTS \(s).hand_participants (
                hand_id bigint NOT NULL REFERENCES \(s).hand_records (id),
                user_id bigint NOT NULL REFERENCES \(s).users (id),
                seat integer NOT NULL,
                username text NOT NULL,
                starting_stack bigint NOT NULL,
                final_stack bigint NOT NULL,
                PRIMARY KEY (hand_id, user_id)
            );
            CREATE INDEX IF NOT EXISTS hand_participants_user_idx ON \(s).hand_participants (user_id, hand_id DESC);
            CREATE TABLE IF NOT EXISTS \(s).idempotency_keys (
                user_id bigint NOT NULL REFERENCES \(s).users (id),
                key text NOT NULL,
                request_hash text NOT NULL,
                state text NOT NULL CONSTRAINT idempotency_keys_state CHECK (state IN ('running', 'done')),
                response_status integer,
                response_body text,
                created_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (user_id, key)
            );
            CREATE INDEX IF NOT EXISTS idempotency_keys_created_idx ON \(s).idempotency_keys (created_at);
            """)
    }
}
